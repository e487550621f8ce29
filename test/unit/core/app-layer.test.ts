import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import {
  appLayerDiffId,
  appLayerKey,
  buildAppLayer,
  groupReads,
  LIFECYCLE_METADATA_LABEL,
  parseAppLayerRecord,
  recordAppLayer,
  swapAppLayer,
} from "../../../src/core/fast-path/app-layer.js";
import { listSourceTree } from "../../../src/core/fast-path/source-digest.js";
import { appReadsLabelKey } from "../../../src/labels/app-reads.js";

const owner = { uid: 1000, gid: 1000 };

function app(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "app-layer-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const reads = (buildpack: string, files: string[], wholeApp?: string) => ({
  [appReadsLabelKey(buildpack)]: JSON.stringify({ buildpack, files, ...(wholeApp ? { wholeApp } : {}) }),
});

describe("the key a code-only change is checked against", () => {
  const base = { "app.py": "print(1)\n", "requirements.txt": "six\n" };
  const key = (dir: string) => appLayerKey(listSourceTree(dir, []), ["requirements.txt"]);

  test("stays when a file no buildpack read changes", () => {
    const dir = app(base);
    const before = key(dir);
    writeFileSync(join(dir, "app.py"), "print(2)\n");
    expect(key(dir)).toBe(before);
  });

  test("changes with a read file's content, an added file or a removed one", () => {
    const dir = app(base);
    const before = key(dir);
    writeFileSync(join(dir, "requirements.txt"), "six==1.17.0\n");
    const edited = key(dir);
    expect(edited).not.toBe(before);
    writeFileSync(join(dir, "new.py"), "");
    const added = key(dir);
    expect(added).not.toBe(edited);
    rmSync(join(dir, "new.py"));
    expect(key(dir)).toBe(edited);
  });
});

describe("the files the group read", () => {
  const group = [{ id: "a/python" }, { id: "a/pip" }];

  test("the union of every buildpack's label", () => {
    const labels = {
      ...reads("a/python", [".python-version"]),
      ...reads("a/pip", ["requirements.txt", "x.txt"]),
    };
    expect(groupReads(labels, group)).toEqual({ files: [".python-version", "requirements.txt", "x.txt"] });
  });

  test("a buildpack without a label, or one that depends on the whole app, rules the swap out", () => {
    expect(groupReads(reads("a/python", []), group)).toEqual({
      reason: "a/pip does not say which app files it reads",
    });
    const labels = { ...reads("a/python", []), ...reads("a/pip", [], "requirements.txt:3 installs ./lib") };
    expect(groupReads(labels, group)).toEqual({
      reason: "a/pip depends on every app file (requirements.txt:3 installs ./lib)",
    });
    expect(groupReads({}, [])).toEqual({ reason: "the image names no buildpacks" });
  });
});

describe("recording after a full build", () => {
  test("kept when the exported app layer is exactly the source tree", () => {
    const dir = app({ "app.py": "print(1)\n" });
    const tree = listSourceTree(dir, []);
    const layer = buildAppLayer(tree, owner);
    if ("problem" in layer) throw new Error(layer.problem);
    const diffId = `sha256:${createHash("sha256").update(gunzipSync(layer.gzip)).digest("hex")}`;
    expect(layer.diffId).toBe(diffId);
    const labels = {
      ...reads("a/pip", ["requirements.txt"]),
      [LIFECYCLE_METADATA_LABEL]: JSON.stringify({ app: [{ sha: diffId }] }),
    };
    const outcome = recordAppLayer(labels, [{ id: "a/pip" }], tree, owner);
    expect(outcome).toEqual({
      record: { files: ["requirements.txt"], key: appLayerKey(tree, ["requirements.txt"]) },
    });
    expect(parseAppLayerRecord("record" in outcome ? outcome.record : undefined)).toBeDefined();
  });

  test("refused when a buildpack wrote into /workspace (the exported layer differs)", () => {
    const dir = app({ "app.py": "print(1)\n" });
    const labels = {
      ...reads("a/pip", []),
      [LIFECYCLE_METADATA_LABEL]: JSON.stringify({ app: [{ sha: `sha256:${"0".repeat(64)}` }] }),
    };
    expect(recordAppLayer(labels, [{ id: "a/pip" }], listSourceTree(dir, []), owner)).toEqual({
      reason: "the exported app layer differs from the source (a buildpack wrote into /workspace?)",
    });
  });

  test("refused with slices (more than one app layer)", () => {
    const labels = {
      [LIFECYCLE_METADATA_LABEL]: JSON.stringify({ app: [{ sha: "sha256:a" }, { sha: "sha256:b" }] }),
    };
    expect(appLayerDiffId(labels)).toBeUndefined();
  });
});

describe("swapping the app layer in config and manifest", () => {
  const old = "sha256:app-old";
  const config = {
    architecture: "amd64",
    rootfs: { type: "layers", diff_ids: ["sha256:base", old, "sha256:launcher"] },
    config: {
      Labels: {
        [LIFECYCLE_METADATA_LABEL]: JSON.stringify({
          app: [{ sha: old }],
          launcher: { sha: "sha256:launcher" },
        }),
        other: "kept",
      },
    },
  };
  const manifest = {
    schemaVersion: 2,
    layers: [
      { mediaType: "gz", digest: "sha256:b1", size: 1 },
      { mediaType: "gz", digest: "sha256:a1", size: 2 },
      { mediaType: "gz", digest: "sha256:l1", size: 3 },
    ],
  };

  test("replaces the diffID, the metadata entry and the blob at the app layer's place only", () => {
    const swapped = swapAppLayer(
      config,
      manifest,
      { diffId: "sha256:app-new", digest: "sha256:a2", size: 9 },
      {
        "dev.inputs": "x",
      },
    );
    if ("problem" in swapped) throw new Error(swapped.problem);
    expect(swapped.config.rootfs.diff_ids).toEqual(["sha256:base", "sha256:app-new", "sha256:launcher"]);
    expect(JSON.parse(swapped.config.config.Labels[LIFECYCLE_METADATA_LABEL] as string).app).toEqual([
      { sha: "sha256:app-new" },
    ]);
    expect(swapped.config.config.Labels).toMatchObject({ other: "kept", "dev.inputs": "x" });
    expect(swapped.config.architecture).toBe("amd64");
    expect(swapped.manifest.layers).toEqual([
      { mediaType: "gz", digest: "sha256:b1", size: 1 },
      { mediaType: "gz", digest: "sha256:a2", size: 9 },
      { mediaType: "gz", digest: "sha256:l1", size: 3 },
    ]);
    expect(config.rootfs.diff_ids[1]).toBe(old);
  });

  test("refuses when the app layer's diffID also names another layer", () => {
    const twice = { ...config, rootfs: { type: "layers", diff_ids: [old, old, "sha256:launcher"] } };
    expect(swapAppLayer(twice, manifest, { diffId: "n", digest: "d", size: 1 }, {})).toEqual({
      problem: "the previous image's app layer can't be told apart from its other layers",
    });
  });
});
