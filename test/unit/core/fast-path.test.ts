import { chmodSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import {
  changedInputs,
  digestOf,
  INPUTS_LABEL,
  inputParts,
  parseInputsLabel,
  recordInputs,
} from "../../../src/core/fast-path/inputs.js";
import { checkPreviousImage, type PreviousRead } from "../../../src/core/fast-path/registry.js";
import { digestOfTree, listSourceTree } from "../../../src/core/fast-path/source-digest.js";
import type { Manifest } from "../../../src/core/registry/client.js";
import { workspaceSource } from "../../../src/core/workspace.js";
import { RefreshRecorder } from "../../../src/libcnb/refresh.js";

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
  const digest = () => sourceTreeDigest(app, workspaceSource(app, join(app, ".cache")).excluded).digest;

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

describe("the previous image check", () => {
  const inputs = recordInputs(inputParts(base));
  const manifest = {
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: "sha256:m",
    raw: Buffer.from(""),
    body: { config: { mediaType: "x", digest: "sha256:c", size: 1 }, layers: [] },
  } as unknown as Manifest;
  const read = (labels: Record<string, string>): PreviousRead => ({
    manifest,
    config: { config: { Labels: { [INPUTS_LABEL]: JSON.stringify(inputs), ...labels } } },
    shown: "registry.example/app:latest",
  });
  const now = Date.parse("2026-12-02T12:00:00Z");
  const refresh = (due: string) => {
    const r = new RefreshRecorder();
    r.dueAt(Date.parse(due), "deb-packages runs apt-get update again 24 h after the last one");
    const label = r.label("ml-buildpacks/deb-packages");
    return label ? { [label.key]: label.value } : {};
  };

  test("same inputs reuse the image until a buildpack's refresh falls due", () => {
    expect(checkPreviousImage(read({}), inputs, now).hit).toBe(true);
    expect(checkPreviousImage(read(refresh("2026-12-02T12:00:01Z")), inputs, now).hit).toBe(true);
    const due = checkPreviousImage(read(refresh("2026-12-02T11:00:00Z")), inputs, now);
    expect(due).toEqual({
      hit: false,
      reason:
        "the previous image was due for a rebuild at 2026-12-02T11:00:00.000Z: deb-packages runs apt-get update again 24 h after the last one",
    });
  });

  test("an image due for a refresh is not offered for a code-change swap either", () => {
    const changed = recordInputs(inputParts({ ...base, sourceDigest: "sha256:other" }));
    const fresh = checkPreviousImage(read(refresh("2026-12-03T00:00:00Z")), changed, now);
    expect(fresh.hit === false && fresh.previous?.changed).toEqual(["source files"]);
    const due = checkPreviousImage(read(refresh("2026-12-01T00:00:00Z")), changed, now);
    expect(due.hit === false && due.previous).toBeUndefined();
  });
});
