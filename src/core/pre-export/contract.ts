// What the platform asks of pre-export (JSON on its command line) and what it answers (a file in the
// out dir the chain's phases share). Pre-export runs inside the lifecycle's container, between the
// builder and the exporter (src/pre-export). The contract lives in the core, which writes the request:
// pre-export depends on the core, never the other way round.
import type { AppLayerPlan } from "../fast-path/app-layer.js";
import type { RecordedInputs } from "../fast-path/inputs.js";
import { type Compression, RECOMPRESS_LEVEL } from "../recompress.js";

export interface CompressionChoice {
  /** zlib level, when igzip is not used. */
  level: number;
  /** igzip level (0 to 3) when the image has igzip; absent: always zlib. */
  igzipLevel?: number;
}

/** igzip's highest level: still far faster than zlib's level 1, a few % larger than its level 4. */
export const IGZIP_LEVEL = 3;

/** Pure: fast gzips with igzip (zlib level 1 without it); small with zlib at the recompression level. */
export function preExportCompression(mode: Compression): CompressionChoice {
  return mode === "small" ? { level: RECOMPRESS_LEVEL } : { level: 1, igzipLevel: IGZIP_LEVEL };
}

export const PRE_EXPORT_RESULT = "pre-export-result.json";
/** Where the platform mounts dist/pre-export (read-only) in the container. */
export const PRE_EXPORT_MOUNT = "/cnb/ml-buildpacks-pre-export";
export const PRE_EXPORT_ENTRY = "index.mjs";

export interface PreExportRequest {
  /** The image the exporter pushes, fully qualified: pushed layers go to its repository. */
  image: string;
  /**
   * Registries spoken to over plain HTTP (BuildRequest.insecureRegistries; loopback ones always
   * are), as the lifecycle beside pre-export is told with -insecure-registry.
   */
  insecureRegistries?: string[];
  /**
   * The extra CA bundle (BuildRequest.caCerts) where pre-export reads it: the docker executor
   * mounts it over the container's system bundle, the local executor runs pre-export on this host.
   * Absent: the system trust store (SSL_CERT_FILE, else /etc/ssl/certs/ca-certificates.crt).
   */
  caCerts?: string;
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
  /** The workspace after the build: the app record reads the content of the files buildpacks read. */
  appDir: string;
  /**
   * Push the large new layers and a staging manifest for the exporter to reuse them. Only where the
   * registry deletes that manifest afterwards: elsewhere it would stay as an untagged version.
   */
  stage: boolean;
  /**
   * The build's inputs, recorded on the image through <layers>/project-metadata.toml; `app`, when
   * the source tree can become the app layer, for the record a later code-only change is checked
   * against.
   */
  label?: { inputs: RecordedInputs; app?: AppLayerPlan };
  analyzedPath: string;
  groupPath: string;
  resultPath: string;
}

export interface PreExportResult {
  /** "<buildpack>:<layer>" as the exporter names layers. */
  layers: { id: string; diffId: string; digest: string; size: number; bytes: number }[];
  /** The staging manifest, when layers were staged: the platform deletes it after the export. */
  stagingDigest?: string;
  /** The inputs are in project-metadata.toml: the exporter's image records them. */
  labeled?: boolean;
}
