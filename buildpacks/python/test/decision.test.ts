import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { memoryAppFiles } from "#libcnb/testing";
import { type DecisionInputs, decidePython } from "../src/decision.js";
import { readConstraints } from "../src/request.js";

const AVAILABLE = [
  "3.14.10",
  "3.14.0",
  "3.13.18",
  "3.13.5",
  "3.12.16",
  "3.12.4",
  "3.11.18",
  "3.11.2",
  "3.10.22",
  "3.10.0",
];
const INPUTS: DecisionInputs = {
  stackVersion: "3.13.5",
  available: AVAILABLE,
  platform: "linux/amd64",
  describeAvailable: "3.10 (3.10.0 to 3.10.22), ...",
  manifest: { source: "the buildpack's built-in manifest", builtin: true },
  sources: ".python-version, ...",
};

const decide = (files: Record<string, string>, inputs = INPUTS) =>
  decidePython(readConstraints(memoryAppFiles(files)).constraints, inputs);

function errorOf(files: Record<string, string>): BuildpackError {
  try {
    decide(files);
  } catch (err) {
    if (err instanceof BuildpackError) return err;
    throw err;
  }
  throw new Error("expected a BuildpackError");
}

const pyproject = (requires: string) => `[project]\nname = "x"\nrequires-python = "${requires}"\n`;

describe("decidePython", () => {
  it("uses the stack's Python when nothing is requested, and recommends a pin", () => {
    expect(decide({})).toMatchObject({ kind: "stack", version: "3.13.5", recommendPin: true });
  });

  it('uses the stack\'s Python for .python-version "system"', () => {
    expect(decide({ ".python-version": "system" })).toMatchObject({ kind: "stack", recommendPin: false });
  });

  it("gives a bare minor its newest patch from the manifest, even when the stack has that minor", () => {
    const d = decide({ ".python-version": "3.13" });
    expect(d).toMatchObject({ kind: "download", version: "3.13.18" });
    expect(d.reason).toBe(
      ".python-version line 1 asks for Python 3.13: installing 3.13.18, the newest 3.13 patch release this buildpack pins",
    );
  });

  it("installs an exact older patch exactly", () => {
    expect(decide({ ".python-version": "3.10.0" })).toMatchObject({ kind: "download", version: "3.10.0" });
    expect(decide({ "runtime.txt": "python-3.11.2" })).toMatchObject({ kind: "download", version: "3.11.2" });
  });

  it("lets the pin pick and every range narrow it: the newest pinned patch all ranges allow", () => {
    const d = decide({ ".python-version": "3.12", "pyproject.toml": pyproject(">=3.10,<3.12.5") });
    expect(d).toMatchObject({ kind: "download", version: "3.12.4" });
    expect(d.reason).toContain("(also allowed by pyproject.toml line 3)");
  });

  it("honours precedence: .python-version over runtime.txt over Pipfile over environment.yml", () => {
    const files = {
      "runtime.txt": "python-3.12.4",
      Pipfile: '[requires]\npython_version = "3.12"\n',
      "environment.yml": "dependencies:\n  - python=3.12\n",
    };
    expect(decide(files)).toMatchObject({ version: "3.12.4" });
    // The first pin is the one the error asks to change; every other pin must allow its version.
    const err = errorOf({ ...files, ".python-version": "3.12.16" });
    expect(err.title).toBe("Python version requirements disagree: .python-version line 1 asks for 3.12.16");
    expect(err.body).toContain('  - runtime.txt line 1: "3.12.4"');
  });

  it("uses the stack's Python when it satisfies every range (requires-python, Poetry)", () => {
    const files = {
      "pyproject.toml": `${pyproject(">=3.11")}\n[tool.poetry.dependencies]\npython = "^3.12"\n`,
    };
    expect(decide(files)).toMatchObject({ kind: "stack", version: "3.13.5", recommendPin: false });
  });

  it("installs the newest version every range allows when the stack's doesn't satisfy them", () => {
    expect(decide({ "pyproject.toml": pyproject(">=3.11,<3.13") })).toMatchObject({
      kind: "download",
      version: "3.12.16",
    });
    const poetry = '[tool.poetry.dependencies]\npython = "^3.14"\n';
    const d = decide({ "pyproject.toml": poetry });
    expect(d).toMatchObject({ kind: "download", version: "3.14.10" });
    expect(d.reason).toContain("The stack's Python 3.13.5 does not satisfy pyproject.toml line 2");
  });

  it("fails when a pin and a range disagree, naming both files and lines and what to change", () => {
    const err = errorOf({ ".python-version": "3.13\n", "pyproject.toml": pyproject("3.12.*") });
    expect(err.title).toBe("Python version requirements disagree: .python-version line 1 asks for 3.13");
    expect([err.file, err.line]).toEqual([".python-version", 1]);
    expect(err.body).toContain('.python-version line 1: "3.13" asks for Python 3.13 (3.13.18)');
    expect(err.body).toContain('  - pyproject.toml line 3: [project] requires-python = "3.12.*"');
    expect(err.body).toContain(
      "What to do: change .python-version line 1 to 3.12, or widen [project] requires-python in pyproject.toml line 3 to allow 3.13.",
    );
  });

  it("suggests an exact version for an exact pin, in the pin file's own format", () => {
    const err = errorOf({ "runtime.txt": "python-3.11.2", "pyproject.toml": pyproject(">=3.12") });
    expect(err.body).toContain("change runtime.txt line 1 to python-3.14.10");
    const pip = errorOf({
      Pipfile: '[requires]\npython_version = "3.10"\n',
      "pyproject.toml": pyproject("~=3.11.0"),
    });
    expect(pip.body).toContain('change [requires] python_version at Pipfile line 2 to "3.11"');
  });

  it("fails when two pins disagree (.python-version vs Pipfile)", () => {
    const err = errorOf({ ".python-version": "3.12", Pipfile: '[requires]\npython_version = "3.11"\n' });
    expect(err.body).toContain('Pipfile line 2: [requires] python_version = "3.11"');
    expect(err.body).toContain("change .python-version line 1 to 3.11");
  });

  it('fails when "system" is outside a range', () => {
    const err = errorOf({ ".python-version": "system", "pyproject.toml": pyproject(">=3.14") });
    expect(err.body).toContain('asks for "system" (the stack\'s Python 3.13.5)');
    expect(err.body).toContain("change .python-version line 1 to 3.14.10");
  });

  it("fails when ranges contradict each other, listing each", () => {
    const files = {
      "pyproject.toml": `${pyproject(">=3.13")}\n[tool.poetry.dependencies]\npython = "~3.11"\n`,
    };
    const err = errorOf(files);
    expect(err.title).toBe("Python version requirements disagree: no version satisfies all of them");
    expect(err.body).toContain('pyproject.toml line 3: [project] requires-python = ">=3.13"');
    expect(err.body).toContain('pyproject.toml line 6: [tool.poetry.dependencies] python = "~3.11"');
  });

  it("reports end-of-life and unknown versions with the file and line", () => {
    expect(errorOf({ ".python-version": "3.9" }).title).toBe("Python 3.9 is end-of-life and not supported");
    expect(errorOf({ "pyproject.toml": pyproject("<3.10") }).title).toBe(
      "Python <3.10 is end-of-life and not supported",
    );
    const unknown = errorOf({ ".python-version": "3.12.99" });
    expect(unknown.title).toBe("No supported Python matches 3.12.99");
    expect(unknown.body).toContain('a minor version like "3.14" gets its newest patch release');
    expect(errorOf({ "pyproject.toml": pyproject(">=3.15") }).title).toBe(
      "No supported Python matches >=3.15",
    );
  });

  it("only offers what the manifest has for the target's arch", () => {
    const none = { ...INPUTS, available: [], describeAvailable: "" };
    let err: unknown;
    try {
      decide({ ".python-version": "3.12" }, none);
    } catch (e) {
      err = e;
    }
    expect((err as BuildpackError).body).toContain("Supported versions for linux/amd64: (none)");
  });
});
