import { chmodSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import {
  changedInputs,
  digestOf,
  inputParts,
  parseInputsLabel,
  recordInputs,
} from "../../../src/core/fast-path/inputs.js";
import { digestOfTree, listSourceTree, skippedPaths } from "../../../src/core/fast-path/source-digest.js";

const sourceTreeDigest = (app: string, skip: string[]) => digestOfTree(listSourceTree(app, skip));

import { testTempDir } from "../../../src/libcnb/testing.js";

const base = {
  sourceDigest: "sha256:src",
  env: { BP_A: "1", PIP_INDEX_URL: "https://pypi.example/simple" },
  builderDigest: "sha256:builder",
  runImageDigest: "sha256:run",
  buildpacks: [
    { id: "ml-buildpacks/pip", version: "0.1.0" },
    { id: "ml-buildpacks/python", version: "0.1.0" },
  ],
  platform: "linux/amd64",
  defaultProcess: undefined,
  lifecycleVersion: "0.21.17",
  platformApi: "0.14",
  toolVersion: "0.1.0",
};

describe("input parts", () => {
  const first = recordInputs(inputParts(base));

  test("the same inputs in another order give the same digest", () => {
    const reordered = recordInputs(
      inputParts({
        ...base,
        env: { PIP_INDEX_URL: "https://pypi.example/simple", BP_A: "1" },
        buildpacks: [...base.buildpacks].reverse(),
      }),
    );
    expect(reordered.digest).toBe(first.digest);
    expect(changedInputs(first, reordered)).toEqual([]);
  });

  test.each([
    ["source files", { sourceDigest: "sha256:other" }],
    ["build env", { env: { BP_A: "2", PIP_INDEX_URL: "https://pypi.example/simple" } }],
    ["build env", { env: { ...base.env, BP_NEW: "" } }],
    ["builder image", { builderDigest: "sha256:builder2" }],
    ["run image", { runImageDigest: "sha256:run2" }],
    ["buildpack versions", { buildpacks: [{ id: "ml-buildpacks/pip", version: "0.2.0" }] }],
    ["build options", { platform: "linux/arm64" }],
    ["build options", { defaultProcess: "worker" }],
    ["build options", { lifecycleVersion: "0.21.18" }],
    ["build options", { platformApi: "0.13" }],
    ["build options", { toolVersion: "0.2.0" }],
  ])("a change of %s changes the digest and is named", (name, change) => {
    const changed = recordInputs(inputParts({ ...base, ...change }));
    expect(changed.digest).not.toBe(first.digest);
    expect(changedInputs(first, changed).join()).toContain(name);
  });

  test("the label round-trips; foreign or broken labels read as none", () => {
    expect(parseInputsLabel(JSON.stringify(first))).toEqual(first);
    expect(parseInputsLabel(undefined)).toBeUndefined();
    expect(parseInputsLabel("{not json")).toBeUndefined();
    expect(parseInputsLabel('{"digest":"sha256:x"}')).toBeUndefined();
  });

  test("digestOf sorts object keys at every depth", () => {
    expect(digestOf({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(
      digestOf({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 }),
    );
    expect(digestOf([1, 2])).not.toBe(digestOf([2, 1]));
  });
});

describe("source tree digest", () => {
  let app: string;
  const digest = () => sourceTreeDigest(app, skippedPaths(app, join(app, ".cache"))).digest;

  beforeEach(() => {
    app = testTempDir("fast-path-src-");
    writeFileSync(join(app, "app.py"), "print('hi')\n");
    writeFileSync(join(app, "requirements.txt"), "pandas==3.1.1\n");
    mkdirSync(join(app, "pkg"));
    writeFileSync(join(app, "pkg", "mod.py"), "x = 1\n");
  });

  test("is stable and counts files", () => {
    const one = sourceTreeDigest(app, []);
    expect(one.files).toBe(3);
    expect(sourceTreeDigest(app, []).digest).toBe(one.digest);
  });

  test.each([
    ["a file's content", () => writeFileSync(join(app, "pkg", "mod.py"), "x = 2\n")],
    ["a new file", () => writeFileSync(join(app, "notes.txt"), "")],
    ["a new empty folder", () => mkdirSync(join(app, "data"))],
    ["a rename", () => renameSync(join(app, "app.py"), join(app, "main.py"))],
    ["the executable bit", () => chmodSync(join(app, "app.py"), 0o755)],
    ["a symlink", () => symlinkSync("app.py", join(app, "link.py"))],
    ["a nested .git (it is copied into the image)", () => mkdirSync(join(app, "pkg", ".git"))],
  ])("changes with %s", (_name, change) => {
    const before = digest();
    change();
    expect(digest()).not.toBe(before);
  });

  test("ignores the top-level .git and a layer cache inside the app, as the build's copy does", () => {
    const before = digest();
    mkdirSync(join(app, ".git"));
    writeFileSync(join(app, ".git", "HEAD"), "ref: refs/heads/main\n");
    mkdirSync(join(app, ".cache"));
    writeFileSync(join(app, ".cache", "layer.tar"), "x");
    expect(digest()).toBe(before);
  });
});
