import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { LIFECYCLE_METADATA_LABEL } from "../../../src/core/fast-path/app-layer.js";
import { buildpackLayerDiffIds, layersToRecompress, regzipStream } from "../../../src/core/recompress.js";

/** regzipStream over buffers. */
async function regzip(blob: Buffer, diffId: string, level: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  await regzipStream(Readable.from([blob]), sink, diffId, level);
  return Buffer.concat(chunks);
}

const MiB = 1024 * 1024;
const metadata = JSON.stringify({
  app: [{ sha: "sha256:app" }],
  buildpacks: [
    { key: "ml/deb", layers: { packages: { sha: "sha256:debs", launch: true } } },
    { key: "ml/pip", layers: { venv: { sha: "sha256:venv", launch: true }, tiny: { sha: "sha256:tiny" } } },
    { key: "ml/processes", layers: {} },
  ],
  runImage: { topLayer: "sha256:base" },
});
const config = {
  rootfs: { diff_ids: ["sha256:base", "sha256:debs", "sha256:venv", "sha256:tiny", "sha256:app"] },
  config: { Labels: { [LIFECYCLE_METADATA_LABEL]: metadata } },
};
const manifest = {
  schemaVersion: 2,
  layers: [
    { digest: "sha256:b-base", size: 30 * MiB },
    { digest: "sha256:b-debs", size: 77 * MiB },
    { digest: "sha256:b-venv", size: 112 * MiB },
    { digest: "sha256:b-tiny", size: 1 * MiB },
    { digest: "sha256:b-app", size: 20 * MiB },
  ],
};

describe("which layers are recompressed", () => {
  test("the buildpack layers from the lifecycle's metadata", () => {
    expect([...buildpackLayerDiffIds(config.config.Labels)].sort()).toEqual([
      "sha256:debs",
      "sha256:tiny",
      "sha256:venv",
    ]);
    expect(buildpackLayerDiffIds({ [LIFECYCLE_METADATA_LABEL]: "not json" }).size).toBe(0);
  });

  test("large buildpack layers only: not the run image's, not the app, not small ones", () => {
    expect(layersToRecompress(manifest, config, new Set())).toEqual([1, 2]);
  });

  test("not the blobs the previous image already holds (recompressed when new), nor pre-export's", () => {
    const kept = new Set([manifest.layers[0], manifest.layers[1]].map((l) => l?.digest ?? ""));
    expect(layersToRecompress(manifest, config, kept)).toEqual([2]);
  });
});

describe("regzip", () => {
  // Half random, half repetitive: compressible, but not trivially.
  const tar = Buffer.concat([randomBytes(256 * 1024), Buffer.alloc(768 * 1024, "layer content ")]);
  const diffId = `sha256:${createHash("sha256").update(tar).digest("hex")}`;

  test("gives the same content at a higher level, smaller than level 1", async () => {
    const fast = gzipSync(tar, { level: 1 });
    const small = await regzip(fast, diffId, 4);
    expect(gunzipSync(small).equals(tar)).toBe(true);
    expect(small.length).toBeLessThan(fast.length);
  });

  test("refuses a blob whose content is not the diffID the config names", async () => {
    await expect(regzip(gzipSync(tar), `sha256:${"0".repeat(64)}`, 4)).rejects.toThrow(
      /is not the diffID sha256:0{64} the config names/,
    );
  });
});
