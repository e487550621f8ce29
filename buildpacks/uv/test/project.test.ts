import { describe, expect, it } from "vitest";
import { memoryAppFiles } from "#libcnb/testing";
import { sha256 } from "#pybuild/project-files";
import { errorOf } from "#pybuild/testing";
import { readGroups, readProject } from "../src/project.js";

const PYPROJECT = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["six"]\n';
const LOCK =
  'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "six"\nversion = "1.17.0"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n';

describe("readProject", () => {
  it("hashes both files like sha256sum and counts the locked packages", () => {
    expect(readProject(memoryAppFiles({ "uv.lock": LOCK, "pyproject.toml": PYPROJECT }))).toEqual({
      lockSha256: sha256(LOCK),
      manifestSha256: sha256(PYPROJECT),
      lockVersion: 1,
      packages: 2,
      localPackages: [],
      python: [{ file: "uv.lock", line: 2, setting: "requires-python", text: ">=3.11" }],
    });
  });

  it("names locked packages uv builds from app folders (not the project itself)", () => {
    const lock = `version = 1
[[package]]
name = "app"
source = { editable = "." }
[[package]]
name = "core"
source = { editable = "packages/core" }
[[package]]
name = "vendored"
source = { directory = "vendor/x" }
[[package]]
name = "six"
source = { registry = "https://pypi.org/simple" }
`;
    expect(
      readProject(memoryAppFiles({ "uv.lock": lock, "pyproject.toml": PYPROJECT })).localPackages,
    ).toEqual(["core", "vendored"]);
  });

  it("needs pyproject.toml next to uv.lock", () => {
    const err = errorOf(() => readProject(memoryAppFiles({ "uv.lock": LOCK })));
    expect(err.title).toBe("uv.lock was found, but no pyproject.toml");
    expect(err.file).toBe("uv.lock");
  });

  it("reports an unparsable uv.lock with its line and says to run uv lock", () => {
    const err = errorOf(() =>
      readProject(
        memoryAppFiles({
          "uv.lock": 'version = 1\n\n[[package]\nname = "six"\n',
          "pyproject.toml": PYPROJECT,
        }),
      ),
    );
    expect(err.title).toBe("uv.lock is not valid TOML");
    expect(err.file).toBe("uv.lock");
    expect(err.line).toBe(3);
    expect(err.body).toContain("Regenerate it with `uv lock`");
  });

  it("reports an unparsable pyproject.toml", () => {
    const err = errorOf(() =>
      readProject(memoryAppFiles({ "uv.lock": LOCK, "pyproject.toml": "[project\n" })),
    );
    expect(err.title).toBe("pyproject.toml is not valid TOML");
    expect(err.line).toBe(1);
  });

  it("rejects TOML that isn't a uv lock", () => {
    const err = errorOf(() =>
      readProject(memoryAppFiles({ "uv.lock": "[x]\n", "pyproject.toml": PYPROJECT })),
    );
    expect(err.title).toBe("uv.lock is not a uv lockfile");
  });
});

describe("readGroups", () => {
  it.each([
    [undefined, []],
    ["", []],
    ["dev", ["dev"]],
    [" ml, dev  ml ", ["dev", "ml"]],
  ])("%j -> %j", (value, groups) => {
    expect(readGroups({ BP_UV_GROUPS: value })).toEqual(groups);
  });

  it("rejects names that can't be groups, naming the variable", () => {
    const err = errorOf(() => readGroups({ BP_UV_GROUPS: "dev;rm -rf" }));
    expect(err.title).toBe("BP_UV_GROUPS has an invalid dependency group name: -rf, dev;rm");
  });
});
