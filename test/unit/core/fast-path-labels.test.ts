import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { appLayerKey, LIFECYCLE_METADATA_LABEL } from "../../../src/core/fast-path/app-layer.js";
import { goJson, goString } from "../../../src/core/fast-path/go-json.js";
import { appSwap } from "../../../src/core/fast-path/index.js";
import {
  INPUTS_LABEL,
  inputParts,
  inputsFromLabels,
  inputsLabels,
  inputsText,
  PROJECT_METADATA_LABEL,
  type RecordedInputs,
  recordInputs,
} from "../../../src/core/fast-path/inputs.js";
import type { PreviousImage } from "../../../src/core/fast-path/registry.js";
import { listSourceTree } from "../../../src/core/fast-path/source-digest.js";
import type { Manifest } from "../../../src/core/registry/client.js";
import { testTempDir } from "../../../src/libcnb/testing.js";
import { projectMetadataToml } from "../../../src/pre-export/inputs-file.js";

const tricky: RecordedInputs = {
  digest: "sha256:abc",
  parts: {
    source: "sha256:1",
    env: 'e<>&\u2028\u0001\b\f\t\n"\\é😀\u007f',
    builder: "b",
    runImage: "r",
    buildpacks: "x",
    options: "o",
  },
  app: { files: ["a&b.txt", "requirements.txt"], key: "sha256:k", layer: "sha256:l" },
};

describe("JSON as Go writes it", () => {
  test("escapes <, >, &, U+2028/9 and control characters as Go does, keeps other text", () => {
    expect(goString('<a href="x">&\u2028\u2029')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u2028\\u2029"');
    expect(goString("\b\f\u0001\n\r\t\\é😀")).toBe('"\\u0008\\u000c\\u0001\\n\\r\\t\\\\é😀"');
  });

  test("keeps member order, leaves undefined members out, like JSON.stringify otherwise", () => {
    const value = { z: 1, a: [true, null, "x"], gone: undefined, n: { b: "<" } };
    expect(goJson(value)).toBe('{"z":1,"a":[true,null,"x"],"n":{"b":"\\u003c"}}');
    const plain = {
      created: "1980-01-01T00:00:01Z",
      config: { Labels: { a: "b" } },
      rootfs: { diff_ids: [] },
    };
    expect(goJson(plain)).toBe(JSON.stringify(plain));
  });
});

describe("the inputs in the project metadata label", () => {
  test("the label value is what the lifecycle's exporter writes from project-metadata.toml", () => {
    // Produced by Go (BurntSushi/toml v1.6.0 decoding projectMetadataToml(tricky) into the
    // lifecycle's files.ProjectMetadata, then encoding/json.Marshal), once, by hand.
    const go =
      '{"source":{"type":"ml-buildpacks","metadata":{"dev.ml-buildpacks.inputs":"{\\"app\\":{\\"files\\":[\\"a\\u0026b.txt\\",\\"requirements.txt\\"],\\"key\\":\\"sha256:k\\",\\"layer\\":\\"sha256:l\\"},\\"digest\\":\\"sha256:abc\\",\\"parts\\":{\\"builder\\":\\"b\\",\\"buildpacks\\":\\"x\\",\\"env\\":\\"e\\u003c\\u003e\\u0026\\u2028\\\\u0001\\\\b\\\\f\\\\t\\\\n\\\\\\"\\\\\\\\é😀\\\\u007f\\",\\"options\\":\\"o\\",\\"runImage\\":\\"r\\",\\"source\\":\\"sha256:1\\"}}"}}}';
    expect(inputsLabels(tricky)[PROJECT_METADATA_LABEL]).toBe(go);
  });

  test("project-metadata.toml holds the same text the label is made from, and no raw DEL", () => {
    const toml = projectMetadataToml(tricky);
    expect(toml).toContain('type = "ml-buildpacks"');
    expect(toml).not.toContain("\u007f");
    expect(JSON.parse(inputsText(tricky))).toEqual(tricky);
  });

  test("one text whatever the key order the caller built the record in", () => {
    const reordered = { app: tricky.app, parts: tricky.parts, digest: tricky.digest };
    expect(inputsText(reordered)).toBe(inputsText(tricky));
    expect(inputsText({ digest: "d", parts: tricky.parts })).not.toContain('"app"');
  });

  test("read back from the project metadata label, or from the 0.1 label; foreign metadata is none", () => {
    expect(inputsFromLabels(inputsLabels(tricky))).toEqual(tricky);
    expect(inputsFromLabels({ [INPUTS_LABEL]: JSON.stringify(tricky) })).toEqual(tricky);
    const git = { [PROJECT_METADATA_LABEL]: JSON.stringify({ source: { type: "git", metadata: {} } }) };
    expect(inputsFromLabels(git)).toBeUndefined();
    expect(inputsFromLabels({ [PROJECT_METADATA_LABEL]: "{}" })).toBeUndefined();
    expect(inputsFromLabels({ [PROJECT_METADATA_LABEL]: "not json" })).toBeUndefined();
  });
});

describe("a code-only change swaps only the image its record names", () => {
  const dir = testTempDir("swap-check-");
  writeFileSync(join(dir, "app.py"), "print(1)\n");
  writeFileSync(join(dir, "requirements.txt"), "six\n");
  const tree = listSourceTree(dir, []);
  const parts = inputParts({
    sourceDigest: "sha256:old",
    env: {},
    builderDigest: "b",
    runImageDigest: "r",
    buildpacks: [],
    platform: "linux/amd64",
    defaultProcess: undefined,
    lifecycleVersion: "0.21.17",
    platformApi: "0.14",
    toolVersion: "0.2.0",
  });
  const previous = (layer: string | undefined, imageAppLayer: string): PreviousImage => ({
    manifest: {} as Manifest,
    config: {
      config: { Labels: { [LIFECYCLE_METADATA_LABEL]: JSON.stringify({ app: [{ sha: imageAppLayer }] }) } },
    },
    inputs: {
      ...recordInputs(parts),
      app: {
        files: ["requirements.txt"],
        key: appLayerKey(tree, ["requirements.txt"]),
        ...(layer ? { layer } : {}),
      },
    },
    changed: ["source files"],
  });

  test("the image's app layer is the recorded one: swap", () => {
    expect(appSwap(previous("sha256:app", "sha256:app"), tree)?.record.layer).toBe("sha256:app");
  });

  test("another app layer (a buildpack wrote into /workspace, slices) or none recorded: full build", () => {
    expect(appSwap(previous("sha256:app", "sha256:other"), tree)).toBeUndefined();
    expect(appSwap(previous(undefined, "sha256:app"), tree)).toBeUndefined();
  });
});
