import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryAppFiles } from "#libcnb/testing";
import { sha256 } from "#pybuild/project-files";
import { errorOf, expectHashPinnedTool } from "#pybuild/testing";
import { PIPENV_VERSION } from "../src/layers/pipenv.js";
import { jsonErrorLine, pathPackages, readCategories, readProject } from "../src/project.js";

const PIPFILE = '[packages]\nsix = "*"\n';
const LOCK = `${JSON.stringify({ _meta: { hash: { sha256: "ab12" } }, default: { six: { version: "==1.17.0" } }, develop: {} }, null, 4)}\n`;

describe("readProject", () => {
  it("hashes both files and reads the locked Pipfile hash", () => {
    expect(readProject(memoryAppFiles({ "Pipfile.lock": LOCK, Pipfile: PIPFILE }))).toEqual({
      lockSha256: sha256(LOCK),
      manifestSha256: sha256(PIPFILE),
      lockedPipfileHash: "ab12",
      packages: 1,
      localPackages: [],
      python: [],
    });
  });

  it("reads the example app's real lock", () => {
    const dir = join(import.meta.dirname, "../../../examples/pipenv-app");
    const files = {
      "Pipfile.lock": readFileSync(join(dir, "Pipfile.lock"), "utf8"),
      Pipfile: readFileSync(join(dir, "Pipfile"), "utf8"),
    };
    expect(readProject(memoryAppFiles(files))).toMatchObject({
      packages: 1,
      lockedPipfileHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("needs the Pipfile next to Pipfile.lock", () => {
    expect(errorOf(() => readProject(memoryAppFiles({ "Pipfile.lock": LOCK }))).title).toBe(
      "Pipfile.lock was found, but no Pipfile",
    );
  });

  it("reports an unparsable Pipfile.lock with its line", () => {
    const broken = '{\n    "_meta": {\n        "hash": {,\n    }\n}\n';
    const err = errorOf(() => readProject(memoryAppFiles({ "Pipfile.lock": broken, Pipfile: PIPFILE })));
    expect(err.title).toBe("Pipfile.lock is not valid JSON");
    expect(err.file).toBe("Pipfile.lock");
    expect(err.line).toBe(3);
    expect(err.body).toContain("Regenerate it with `pipenv lock`");
  });

  it("reports an unparsable Pipfile with its line", () => {
    const err = errorOf(() =>
      readProject(memoryAppFiles({ "Pipfile.lock": LOCK, Pipfile: '[packages]\nsix = "*\n' })),
    );
    expect(err.title).toBe("Pipfile is not valid TOML");
    expect(err.line).toBe(2);
  });

  it("rejects JSON without _meta.hash.sha256", () => {
    expect(errorOf(() => readProject(memoryAppFiles({ "Pipfile.lock": "{}", Pipfile: PIPFILE }))).title).toBe(
      "Pipfile.lock is not a Pipenv lockfile",
    );
  });
});

describe("jsonErrorLine", () => {
  it.each([
    ['{\n"a": 1,\n}', "Expected double-quoted property name in JSON at position 10 (line 3 column 1)", 3],
    ['{\n"a": 1,\n}', "Unexpected token } in JSON at position 10", 3],
    ['{\n"a":', "Unexpected end of JSON input", 2],
    ["x", "something else", undefined],
  ])("%j / %s -> %s", (text, message, line) => {
    expect(jsonErrorLine(text, message)).toBe(line);
  });
});

describe("readCategories", () => {
  it.each([
    [undefined, ["packages"]],
    ["", ["packages"]],
    ["packages dev-packages", ["dev-packages", "packages"]],
    ["packages,docs", ["docs", "packages"]],
  ])("%j -> %j", (value, categories) => {
    expect(readCategories({ BP_PIPENV_CATEGORIES: value })).toEqual(categories);
  });

  it("rejects names that can't be categories", () => {
    expect(() => readCategories({ BP_PIPENV_CATEGORIES: "packages;x" })).toThrow(
      "BP_PIPENV_CATEGORIES has an invalid category name: packages;x",
    );
  });
});

describe("tool requirements", () => {
  it("pin pipenv at PIPENV_VERSION and every package by sha256", () => {
    expectHashPinnedTool(join(import.meta.dirname, ".."), `pipenv==${PIPENV_VERSION}`);
  });
});

describe("pathPackages", () => {
  it("names entries of any category installed from an app path", () => {
    const lock = {
      _meta: { hash: { sha256: "x" } },
      default: { six: { version: "==1.17.0" }, mylib: { path: "./libs/mylib", editable: true } },
      develop: { tools: { path: "." } },
    };
    expect(pathPackages(lock)).toEqual(["mylib", "tools"]);
    expect(pathPackages({ default: { six: { version: "==1.17.0" } } })).toEqual([]);
  });
});
