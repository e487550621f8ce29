import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryAppFiles } from "#libcnb/testing";
import { sha256 } from "#pybuild/project-files";
import { errorOf, expectHashPinnedTool } from "#pybuild/testing";
import { POETRY_VERSION } from "../src/layers/poetry.js";
import { readGroups, readProject } from "../src/project.js";

const PYPROJECT = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["six"]\n';
const LOCK =
  '[[package]]\nname = "six"\nversion = "1.17.0"\n\n[metadata]\nlock-version = "2.1"\ncontent-hash = "ab"\n';

describe("readProject", () => {
  it("hashes both files like sha256sum and reads the lock format", () => {
    expect(readProject(memoryAppFiles({ "poetry.lock": LOCK, "pyproject.toml": PYPROJECT }))).toEqual({
      lockSha256: sha256(LOCK),
      manifestSha256: sha256(PYPROJECT),
      lockVersion: "2.1",
      packages: 1,
      python: [],
    });
  });

  it("reads the example app's real lock", () => {
    const dir = join(import.meta.dirname, "../../../examples/poetry-app");
    const files = {
      "poetry.lock": readFileSync(join(dir, "poetry.lock"), "utf8"),
      "pyproject.toml": readFileSync(join(dir, "pyproject.toml"), "utf8"),
    };
    expect(readProject(memoryAppFiles(files))).toMatchObject({ lockVersion: "2.1", packages: 2 });
  });

  it("needs pyproject.toml next to poetry.lock", () => {
    const err = errorOf(() => readProject(memoryAppFiles({ "poetry.lock": LOCK })));
    expect(err.title).toBe("poetry.lock was found, but no pyproject.toml");
  });

  it("reports an unparsable poetry.lock with its line", () => {
    const err = errorOf(() =>
      readProject(
        memoryAppFiles({ "poetry.lock": '[[package]]\nname = "six\n', "pyproject.toml": PYPROJECT }),
      ),
    );
    expect(err.title).toBe("poetry.lock is not valid TOML");
    expect(err.file).toBe("poetry.lock");
    expect(err.line).toBe(2);
    expect(err.body).toContain("Regenerate it with `poetry lock`");
  });

  it("rejects TOML without [metadata] lock-version", () => {
    const err = errorOf(() =>
      readProject(memoryAppFiles({ "poetry.lock": "[x]\n", "pyproject.toml": PYPROJECT })),
    );
    expect(err.title).toBe("poetry.lock is not a Poetry lockfile");
  });
});

describe("readGroups", () => {
  it.each([
    [undefined, ["main"]],
    [" ", ["main"]],
    ["main,dev", ["dev", "main"]],
    ["ml main ml", ["main", "ml"]],
  ])("%j -> %j", (value, groups) => {
    expect(readGroups({ BP_POETRY_GROUPS: value })).toEqual(groups);
  });

  it("rejects names that can't be groups", () => {
    expect(() => readGroups({ BP_POETRY_GROUPS: "main,$(x)" })).toThrow(
      "BP_POETRY_GROUPS has an invalid group name: $(x)",
    );
  });
});

describe("tool requirements", () => {
  it("pin poetry at POETRY_VERSION and every package by sha256", () => {
    const text = expectHashPinnedTool(join(import.meta.dirname, ".."), `poetry==${POETRY_VERSION}`);
    expect(text).toMatch(/\npoetry-plugin-export==[\d.]+ \\\n/);
    expect(text.split("\n").filter((l) => /^[a-z0-9]/i.test(l)).length).toBeGreaterThan(10);
  });
});
