// --compression small: the lifecycle gzips layers at level 1 (go-containerregistry's BestSpeed), so a
// CNB image is larger than the same files pushed by Docker (level 6). After the export, the buildpack
// layers this build added are recompressed at a higher level, in parallel, and the image is pushed
// again with the same config: same diffIDs and image ID, smaller blobs. Unchanged layers keep the
// previous image's blobs (the lifecycle reuses them by diffID), so the cost falls only on builds that
// make new large layers (a first build, a dependency change).
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { PassThrough, type Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { LIFECYCLE_METADATA_LABEL } from "./fast-path/app-layer.js";
import type { ImageConfig } from "./fast-path/registry.js";
import { ParallelGzip, zlibBlocks } from "./parallel-gzip.js";
import { type Manifest, type RegistryClient, sha256 } from "./registry/client.js";

export const COMPRESSION_MODES = ["fast", "small"] as const;
export type Compression = (typeof COMPRESSION_MODES)[number];
/** zlib level 4: about 90% of level 6's saving on ML layers at two thirds of its time. */
export const RECOMPRESS_LEVEL = 4;
const CHUNK = 1024 * 1024;
/** Smaller layers are not worth a round trip. */
export const MIN_RECOMPRESS_BYTES = 8 * 1024 * 1024;

export const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** This module's log lines. */
export const recompressNotes = {
  nothing: "no new buildpack layer of 8 MiB or more: nothing to recompress",
  done: (layers: number, before: number, after: number, level: number) =>
    `${layers} layer(s) recompressed at gzip level ${level}: ${mib(before)} -> ${mib(after)} (same diffIDs, same image config)`,
  failed: (why: string) =>
    `could not recompress the layers (${why}); the image keeps the lifecycle's compression`,
};

/** Pure: the diffIDs of the buildpack layers, from the lifecycle's metadata label. */
export function buildpackLayerDiffIds(labels: Record<string, string>): Set<string> {
  const out = new Set<string>();
  try {
    const doc = JSON.parse(labels[LIFECYCLE_METADATA_LABEL] ?? "{}") as {
      buildpacks?: { layers?: Record<string, { sha?: unknown }> }[];
    };
    for (const bp of doc.buildpacks ?? [])
      for (const layer of Object.values(bp.layers ?? {}))
        if (typeof layer.sha === "string") out.add(layer.sha);
  } catch {
    // no metadata: nothing is recompressed
  }
  return out;
}

/**
 * Pure: the manifest positions worth recompressing: buildpack layers (not the run image's, which
 * stay shared with it), at least MIN_RECOMPRESS_BYTES, whose blob is not in `kept`: the previous
 * image's blobs (reused layers were recompressed when they were new) and pre-export's.
 */
export function layersToRecompress(
  manifest: Manifest["body"],
  config: ImageConfig,
  kept: ReadonlySet<string>,
): number[] {
  const ours = buildpackLayerDiffIds(config.config?.Labels ?? {});
  const diffIds = config.rootfs?.diff_ids ?? [];
  return (manifest.layers ?? []).flatMap((layer, i) => {
    const diffId = diffIds[i];
    return diffId && ours.has(diffId) && layer.size >= MIN_RECOMPRESS_BYTES && !kept.has(layer.digest)
      ? [i]
      : [];
  });
}

/**
 * gunzip -> gzip at `level` between two streams, checking the content against `diffId` on the way;
 * nothing is held in memory but zlib's windows.
 */
export async function regzipStream(
  source: Readable,
  sink: Writable,
  diffId: string,
  level: number,
): Promise<void> {
  const tar = createHash("sha256");
  // 1 MiB chunks: zlib works on libuv's thread pool, and 16 KiB round trips to it cost a third of
  // the time (9.4 s -> 6.5 s for the benchmark app's two layers).
  const gunzip = createGunzip({ chunkSize: CHUNK });
  gunzip.on("data", (c: Buffer) => tar.update(c));
  // gzip on every core, so a single large layer (a dependency change's venv) is not left to one.
  await pipeline(source, gunzip, new ParallelGzip(zlibBlocks(level), availableParallelism() + 1), sink);
  const actual = `sha256:${tar.digest("hex")}`;
  if (actual !== diffId)
    throw new Error(`layer content ${actual} is not the diffID ${diffId} the config names`);
}

export interface Recompressed {
  manifest: Manifest;
  layers: number;
  bytesBefore: number;
  bytesAfter: number;
}

/** Recompresses the layers at `indexes` and pushes the manifest by digest (untagged). */
export async function recompressLayers(
  client: RegistryClient,
  repository: string,
  manifest: Manifest,
  config: ImageConfig,
  indexes: readonly number[],
  level = RECOMPRESS_LEVEL,
): Promise<Recompressed> {
  const layers = [...(manifest.body.layers ?? [])];
  const diffIds = config.rootfs?.diff_ids ?? [];
  let bytesBefore = 0;
  let bytesAfter = 0;
  const work = [...indexes];
  const worker = async () => {
    for (let i = work.shift(); i !== undefined; i = work.shift()) {
      const layer = layers[i];
      const diffId = diffIds[i];
      if (!layer || !diffId) continue;
      // Download, recompression and upload overlap: the upload streams what gzip writes. A failed
      // upload reads and recompresses the layer again, so the content check is the last attempt's.
      let regzip: Promise<void> = Promise.resolve();
      const open = async () => {
        const source = await client.getBlobStream(repository, layer.digest);
        const compressed = new PassThrough({ highWaterMark: CHUNK });
        regzip = regzipStream(source, compressed, diffId, level);
        // A failed read or gzip fails the upload; an upload that fails ends this pipeline.
        regzip.catch((err: Error) => compressed.destroy(err));
        return compressed;
      };
      const smaller = await client.uploadBlobStream(repository, open);
      await regzip;
      bytesBefore += layer.size;
      // The new blob stays unreferenced when it is not smaller (the registry's GC removes it).
      if (smaller.size >= layer.size) {
        bytesAfter += layer.size;
        continue;
      }
      bytesAfter += smaller.size;
      layers[i] = { ...layer, digest: smaller.digest, size: smaller.size };
    }
  };
  // zlib runs on libuv's thread pool: one stream per core.
  await Promise.all(Array.from({ length: Math.min(indexes.length, availableParallelism()) }, worker));
  const body = { ...manifest.body, layers };
  const raw = Buffer.from(JSON.stringify(body));
  const digest = await client.putManifest(repository, sha256(raw), raw, manifest.mediaType);
  return { manifest: { ...manifest, raw, body, digest }, layers: indexes.length, bytesBefore, bytesAfter };
}
