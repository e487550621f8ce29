import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { memoryAppFiles } from "#libcnb/testing";
import { type Constraint, condaSpecClauses, constraintMatches, readConstraints } from "../src/request.js";

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
const POETRY = '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nsix = "*"\n';
const PIPFILE = '[packages]\nsix = "*"\n\n[requires]\npython_version = "3.12"\n';
const ENV_YML = "name: app\nchannels: [conda-forge]\ndependencies:\n  - numpy\n  - python=3.11\n  - pip\n";

const read = (files: Record<string, string>) => readConstraints(memoryAppFiles(files));
const brief = (cs: Constraint[]) => cs.map((c) => [c.file, c.line, c.setting, c.text, c.pin]);

describe("readConstraints", () => {
  it("returns nothing when no file names a version", () => {
    expect(read({ "app.py": "", "pyproject.toml": '[project]\nname = "x"\n' })).toEqual({
      constraints: [],
      warnings: [],
    });
  });

  it("collects every constraint: pins first in precedence order, then ranges", () => {
    const { constraints } = read({
      ".python-version": "# pinned\n3.12\n",
      "runtime.txt": "python-3.12.4\n",
      "pyproject.toml": `${PYPROJECT}\n${POETRY}`,
      Pipfile: '[requires]\npython_full_version = "3.12.4"\npython_version = "3.12"\n',
      "environment.yml": ENV_YML,
    });
    expect(brief(constraints)).toEqual([
      [".python-version", 2, ".python-version", "3.12", true],
      ["runtime.txt", 1, "runtime.txt", "3.12.4", true],
      ["Pipfile", 2, "[requires] python_full_version", "3.12.4", true],
      ["Pipfile", 3, "[requires] python_version", "3.12", true],
      ["environment.yml", 5, "dependencies: python", "python=3.11", true],
      ["pyproject.toml", 3, "[project] requires-python", ">=3.11,<3.13", false],
      ["pyproject.toml", 9, "[tool.poetry.dependencies] python", "^3.12", false],
    ]);
  });

  it("reads Poetry's python dependency in Poetry's syntax", () => {
    const [c] = read({ "pyproject.toml": POETRY }).constraints;
    if (!c) throw new Error("no constraint");
    expect(["3.11.9", "3.12.0", "3.14.2", "4.0.0"].filter((v) => constraintMatches(v, c))).toEqual([
      "3.12.0",
      "3.14.2",
    ]);
  });

  it('reads a bare wildcard requires-python ("3.12.*") as ==3.12.*', () => {
    const [c] = read({ "pyproject.toml": '[project]\nrequires-python = "3.12.*"\n' }).constraints;
    if (!c) throw new Error("no constraint");
    expect(constraintMatches("3.12.7", c)).toBe(true);
    expect(constraintMatches("3.13.0", c)).toBe(false);
  });

  it("reads runtime.txt (Heroku's format) and warns that it is deprecated", () => {
    const { constraints, warnings } = read({ "runtime.txt": "\npython-3.11.2\n" });
    expect(brief(constraints)).toEqual([["runtime.txt", 2, "runtime.txt", "3.11.2", true]]);
    expect(warnings[0]?.title).toBe("runtime.txt is deprecated: pin the version in .python-version instead");
    expect(warnings[0]?.body).toContain('Write "3.11.2" into .python-version and delete runtime.txt');
    expect(brief(read({ "runtime.txt": "python-3.12" }).constraints)[0]?.[3]).toBe("3.12");
  });

  it.each(["3.12.4", "python-3", "pypy3.10-7.3", "python-3.12.4\npython-3.11"])(
    "rejects runtime.txt %j with file and line",
    (text) => {
      const err = errorOf(() => read({ "runtime.txt": text }));
      expect(err.title).toContain("runtime.txt has an invalid Python version");
      expect(err.file).toBe("runtime.txt");
    },
  );

  it("treats .python-version 'system' as a pin of the stack's Python", () => {
    const [c] = read({ ".python-version": "system\n", "pyproject.toml": PYPROJECT }).constraints;
    expect(c).toMatchObject({ file: ".python-version", line: 1, text: "system", pin: true, system: true });
  });

  it("ignores environment.yml's bare python and look-alike packages; ranges there are ranges", () => {
    const yml = "dependencies:\n  - python-dateutil=2.9\n  - pythonnet\n  - python\n";
    expect(read({ "environment.yml": yml }).constraints).toEqual([]);
    const range = read({ "environment.yml": "dependencies:\n  - python>=3.10,<3.13\n" }).constraints;
    expect(brief(range)).toEqual([
      ["environment.yml", 2, "dependencies: python", "python>=3.10,<3.13", false],
    ]);
  });

  it.each([
    ['[project]\nrequires-python = "3.12"\n', 2],
    ['[project]\nname = "x"\nrequires-python = ">=3.12.0rc1"\n', 3],
    ["[project]\nrequires-python = 3.12\n", 2],
  ])("rejects requires-python in %j with file and line", (text, line) => {
    const err = errorOf(() => read({ "pyproject.toml": text }));
    expect(err.title).toContain("pyproject.toml has an invalid requires-python");
    expect([err.file, err.line]).toEqual(["pyproject.toml", line]);
  });

  it.each(['"^3.x"', '"3.12 ||"', '{ version = "^3.12" }'])("rejects Poetry's python = %s", (value) => {
    const err = errorOf(() => read({ "pyproject.toml": `[tool.poetry.dependencies]\npython = ${value}\n` }));
    expect(err.title).toContain("pyproject.toml has an invalid [tool.poetry.dependencies] python");
    expect([err.file, err.line]).toEqual(["pyproject.toml", 2]);
  });

  it("reports invalid TOML with its line", () => {
    const err = errorOf(() => read({ "pyproject.toml": "[project]\nname = \n" }));
    expect(err.title).toBe("pyproject.toml is not valid TOML");
    expect(err.line).toBe(2);
  });

  it("rejects a bad Pipfile python_version and a bad conda spec with file and line", () => {
    const pip = errorOf(() => read({ Pipfile: '[requires]\npython_version = "3.x"\n' }));
    expect([pip.file, pip.line, pip.title]).toEqual([
      "Pipfile",
      2,
      'Pipfile has an invalid [requires] python_version: "3.x"',
    ]);
    const yml = errorOf(() => read({ "environment.yml": "dependencies:\n  - python=3.11|3.12\n" }));
    expect([yml.file, yml.line]).toEqual(["environment.yml", 2]);
  });

  it("reads Pipfile's python_version alone as a minor pin", () => {
    const [c] = read({ Pipfile: PIPFILE }).constraints;
    expect(c).toMatchObject({ file: "Pipfile", line: 5, text: "3.12", pin: true });
    if (!c) throw new Error("no constraint");
    expect(constraintMatches("3.12.9", c)).toBe(true);
    expect(constraintMatches("3.13.0", c)).toBe(false);
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
    const c: Constraint = {
      file: "environment.yml",
      line: 1,
      setting: "dependencies: python",
      text: spec,
      pin: true,
      system: false,
      alternatives: [clauses],
    };
    expect(constraintMatches(version, c)).toBe(ok);
  });
});
