// What the platform asks of pre-export (JSON on its command line) and what it answers (a file in the
// out dir the chain's phases share). Pre-export runs inside the lifecycle's container, between the
// builder and the exporter; see pre-export.ts.

import type { CompressionChoice } from "./compressor.js";

export const PRE_EXPORT_RESULT = "pre-export-result.json";
/** Where the platform mounts dist/pre-export (read-only) in the container. */
export const PRE_EXPORT_MOUNT = "/cnb/ml-buildpacks-pre-export";
export const PRE_EXPORT_ENTRY = "index.mjs";

export interface PreExportRequest {
  /** The image the exporter pushes, fully qualified: pushed layers go to its repository. */
  image: string;
  /** "linux/amd64", for the staging image's config. */
  platform: string;
  /** How the pushed layers are gzipped: igzip where the image has it, else zlib on every core. */
  compression: CompressionChoice;
  /** Smaller layers are left to the exporter. */
  minBytes: number;
  /** The CNB user: owner of every layer entry but the parent directories. */
  uid: number;
  gid: number;
  layersDir: string;
  analyzedPath: string;
  groupPath: string;
  resultPath: string;
}

export interface PreExportResult {
  /** "<buildpack>:<layer>" as the exporter names layers. */
  layers: { id: string; diffId: string; digest: string; size: number; bytes: number }[];
  stagingDigest: string;
}
