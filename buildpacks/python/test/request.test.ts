import { describe, expect, it } from "vitest";
import { BuildpackError } from "../../../src/libcnb/index.js";
import { memoryAppFiles } from "../../../src/libcnb/testing.js";
import { condaSpecClauses, readPythonRequest, requestMatches, tomlKeyLine } from "../src/request.js";

function errorOf(fn: () => unknown): BuildpackError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuildpackError) return err;
    throw err;
  }
  throw new Error("expected a BuildpackError");
}

const PYPROJECT = '[project]\nname = "app"\nrequires-python = ">=3.11,<3.13"\n';
const PIPFILE = '[packages]\nsix = "*"\n\n[requires]\npython_version = "3.12"\n';
const ENV_YML = "name: app\nchannels: [conda-forge]\ndependencies:\n  - numpy\n  - python=3.11\n  - pip\n";

describe("readPythonRequest", () => {
  it("returns undefined when no file names a version", () => {
    expect(
      readPythonRequest(memoryAppFiles({ "app.py": "", "pyproject.toml": '[project]\nname = "x"\n' })),
    ).toBe(undefined);
  });

  it("takes .python-version first", () => {
    const app = memoryAppFiles({
      ".python-version": "3.10\n",
      "pyproject.toml": PYPROJECT,
      Pipfile: PIPFILE,
    });
    expect(readPythonRequest(app)).toMatchObject({ file: ".python-version", line: 1, text: "3.10" });
  });

  it("then pyproject.toml [project] requires-python, with its line", () => {
    const app = memoryAppFiles({ "pyproject.toml": PYPROJECT, Pipfile: PIPFILE, "environment.yml": ENV_YML });
    const req = readPythonRequest(app);
    expect(req).toMatchObject({ file: "pyproject.toml", line: 3, text: ">=3.11,<3.13" });
    if (!req) throw new Error("no request");
    expect(["3.10.18", "3.11.0", "3.12.14", "3.13.0"].filter((v) => requestMatches(v, req))).toEqual([
      "3.11.0",
      "3.12.14",
    ]);
  });

  it("then Pipfile [requires], preferring python_full_version", () => {
    expect(readPythonRequest(memoryAppFiles({ Pipfile: PIPFILE, "environment.yml": ENV_YML }))).toMatchObject(
      {
        file: "Pipfile",
        line: 5,
        text: "3.12",
      },
    );
    const full = `${PIPFILE}python_full_version = "3.12.4"\n`;
    expect(readPythonRequest(memoryAppFiles({ Pipfile: full }))).toMatchObject({ line: 6, text: "3.12.4" });
  });

  it("then environment.yml's python dependency", () => {
    const req = readPythonRequest(memoryAppFiles({ "environment.yml": ENV_YML }));
    expect(req).toMatchObject({ file: "environment.yml", line: 5, text: "python=3.11" });
  });

  it("ignores environment.yml's bare python and look-alike packages", () => {
    const yml = "dependencies:\n  - python-dateutil=2.9\n  - python\n  - pythonnet\n";
    expect(readPythonRequest(memoryAppFiles({ "environment.yml": yml }))).toBeUndefined();
  });

  it("treats .python-version 'system' as the stack's Python (nothing else consulted)", () => {
    const req = readPythonRequest(
      memoryAppFiles({ ".python-version": "system\n", "pyproject.toml": PYPROJECT }),
    );
    expect(req).toMatchObject({ file: ".python-version", text: "system", clauses: [] });
    if (!req) throw new Error("no request");
    expect(requestMatches("3.13.5", req)).toBe(true);
  });

  it.each([
    ['[project]\nrequires-python = "3.12"\n', 2],
    ['[project]\nname = "x"\nrequires-python = ">=3.12.0rc1"\n', 3],
    ["[project]\nrequires-python = 3.12\n", 2],
  ])("rejects requires-python in %j with file and line", (text, line) => {
    const err = errorOf(() => readPythonRequest(memoryAppFiles({ "pyproject.toml": text })));
    expect(err.title).toContain("pyproject.toml has an invalid requires-python");
    expect([err.file, err.line]).toEqual(["pyproject.toml", line]);
  });

  it("reports invalid TOML with its line", () => {
    const err = errorOf(() =>
      readPythonRequest(memoryAppFiles({ "pyproject.toml": "[project]\nname = \n" })),
    );
    expect(err.title).toBe("pyproject.toml is not valid TOML");
    expect(err.line).toBe(2);
  });

  it("rejects a bad Pipfile python_version and a bad conda spec with file and line", () => {
    const pip = errorOf(() =>
      readPythonRequest(memoryAppFiles({ Pipfile: '[requires]\npython_version = "3.x"\n' })),
    );
    expect([pip.file, pip.line, pip.title]).toEqual([
      "Pipfile",
      2,
      'Pipfile has an invalid [requires] python_version: "3.x"',
    ]);
    const yml = errorOf(() =>
      readPythonRequest(memoryAppFiles({ "environment.yml": "dependencies:\n  - python=3.11|3.12\n" })),
    );
    expect([yml.file, yml.line]).toEqual(["environment.yml", 2]);
  });
});

describe("condaSpecClauses", () => {
  it.each([
    ["=3.12", "3.12.4", true],
    ["=3.12", "3.13.0", false],
    ["=3.12.4", "3.12.4", true],
    ["=3.12=h123_0_cpython", "3.12.1", true],
    ["3.12.*", "3.12.9", true],
    ["==3.12.4", "3.12.5", false],
    [">=3.10,<3.12", "3.11.2", true],
    [">=3.10,<3.12", "3.12.0", false],
  ])("python%s vs %s: %s", (spec, version, ok) => {
    const clauses = condaSpecClauses(spec);
    if (!clauses) throw new Error("no clauses");
    expect(requestMatches(version, { file: "environment.yml", line: 1, text: spec, clauses })).toBe(ok);
  });
});

describe("tomlKeyLine", () => {
  it("finds a key inside its table only", () => {
    const text =
      'requires-python = "x"\n[tool.x]\nrequires-python = "y"\n[ project ]\n"requires-python" = "z"\n';
    expect(tomlKeyLine(text, "project", "requires-python")).toBe(5);
    expect(tomlKeyLine(text, "tool.x", "requires-python")).toBe(3);
  });
});
