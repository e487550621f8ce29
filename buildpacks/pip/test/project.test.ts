import { describe, expect, it } from "vitest";
import { BuildpackError } from "#libcnb";
import { memoryAppFiles } from "#libcnb/testing";
import { readProject } from "../src/project.js";

const HATCH = `[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "hello"
version = "0.1.0"
dependencies = ["tabulate"]
`;

function error(files: Record<string, string>): BuildpackError {
  try {
    readProject(memoryAppFiles(files));
  } catch (err) {
    if (err instanceof BuildpackError) return err;
    throw err;
  }
  throw new Error("readProject accepted the project");
}

describe("readProject", () => {
  it("installs a PEP 517 project with its backend, noting that nothing is locked", () => {
    const p = readProject(memoryAppFiles({ "pyproject.toml": HATCH }));
    expect(p).toMatchObject({ file: "pyproject.toml", backend: "hatchling.build" });
    expect(p.notes.join("\n")).toContain("No lockfile: pip resolves the newest versions");
    expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keys on setup.py and setup.cfg too", () => {
    const a = readProject(memoryAppFiles({ "pyproject.toml": HATCH, "setup.cfg": "[metadata]\n" }));
    const b = readProject(memoryAppFiles({ "pyproject.toml": HATCH, "setup.cfg": "[metadata]\nname=x\n" }));
    expect(a.sha256).not.toBe(b.sha256);
  });

  it("accepts a PEP 621 [project] without [build-system]: setuptools builds it", () => {
    const p = readProject(memoryAppFiles({ "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n' }));
    expect(p.backend).toBe("setuptools (PEP 517's default: no [build-system])");
  });

  it("installs a setup.py project, with or without a tool-only pyproject.toml", () => {
    expect(readProject(memoryAppFiles({ "setup.py": "" }))).toMatchObject({ file: "setup.py" });
    expect(
      readProject(memoryAppFiles({ "setup.py": "", "pyproject.toml": "[tool.black]\nline-length = 100\n" })),
    ).toMatchObject({ file: "pyproject.toml", backend: "setuptools (setup.py)" });
  });

  it("installs a Poetry project without poetry.lock through poetry-core, and says how to lock it", () => {
    const text = `[tool.poetry]\nname = "x"\nversion = "1"\n\n[build-system]\nrequires = ["poetry-core>=2"]\nbuild-backend = "poetry.core.masonry.api"\n`;
    const p = readProject(memoryAppFiles({ "pyproject.toml": text }));
    expect(p.backend).toBe("poetry.core.masonry.api");
    expect(p.notes.join("\n")).toContain("Commit poetry.lock (`poetry lock`)");
  });

  it("refuses a pyproject.toml with neither [build-system] nor [project], saying what to add", () => {
    const e = error({ "pyproject.toml": "[tool.black]\nline-length = 100\n" });
    expect(e.title).toBe(
      "pyproject.toml has neither [build-system] nor [project]: pip cannot install the app from it",
    );
    expect(e.file).toBe("pyproject.toml");
    expect(e.body).toContain('  build-backend = "setuptools.build_meta"');
    expect(e.body).toContain("or list the app's dependencies in a requirements.txt");
  });

  it("tells a Poetry project without build-system to lock it or add poetry-core", () => {
    const e = error({ "pyproject.toml": '[tool.poetry]\nname = "x"\n' });
    expect(e.body).toContain("run `poetry lock`");
    expect(e.body).toContain('build-backend = "poetry.core.masonry.api"');
  });

  it("refuses [build-system] without requires, naming its line", () => {
    const e = error({
      "pyproject.toml": '[project]\nname = "x"\n\n[build-system]\nbuild-backend = "hatchling.build"\n',
    });
    expect(e.title).toBe("pyproject.toml: [build-system] has no requires");
    expect(e.line).toBe(4);
  });

  it("reports TOML syntax errors with the line", () => {
    const e = error({ "pyproject.toml": '[project]\nname = "x\n' });
    expect(e.title).toBe("pyproject.toml is not valid TOML");
    expect(e.line).toBe(2);
  });

  it("refuses setup.cfg alone: pip needs pyproject.toml or setup.py", () => {
    const e = error({ "setup.cfg": "[metadata]\nname = x\n" });
    expect(e.title).toBe("setup.cfg alone does not make an installable package");
    expect(e.body).toContain("Add a\npyproject.toml");
  });
});
