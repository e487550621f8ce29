import { MlBuildpacksError } from "./errors.js";
import { messages } from "./messages.js";
import type { Compression } from "./recompress.js";
import type { SignOptions } from "./sign/cosign.js";

/** One build, whatever front end asked for it (CLI flags, action inputs, GitLab inputs, Tekton params). */
export interface BuildRequest {
  /** Host directory of the app's source. */
  appDir: string;
  /** Image to export, e.g. ghcr.io/acme/app:1.0. */
  image: string;
  /** Further tags for the same image (full references). */
  additionalTags: string[];
  builder: string;
  /** Overrides the builder's run image. */
  runImage: string | undefined;
  /**
   * The image the last build of this app pushed (e.g. app:main when --image is app:<commit>): the
   * lifecycle reuses its layers and the fast path compares against it. Default: --image itself.
   */
  previousImage: string | undefined;
  /** Host directory for the lifecycle's layer cache; undefined builds without a cache. */
  cacheDir: string | undefined;
  clearCache: boolean;
  /** Build-time environment for buildpacks (written to <platform>/env). */
  env: Record<string, string>;
  /**
   * Build secrets (env name -> value, e.g. PIP_INDEX_URL with a token): seen as env by the buildpacks
   * of the detect and build phases only, masked in logs, never part of the inputs digest, a layer,
   * a label or the report (secrets.ts).
   */
  secrets: Record<string, string>;
  /** e.g. linux/amd64; must match the builder's platform. */
  platform: string | undefined;
  pull: "missing" | "always";
  defaultProcess: string | undefined;
  logLevel: "info" | "debug";
  /** Push to the registry (true) or export to the local Docker daemon (false). */
  publish: boolean;
  /** After the push, write the image's SBOM layer here, per platform (core/sbom); needs publish. */
  sbomOutputDir?: string;
  /** Sign each pushed image by digest with this cosign key (sign/); needs publish. */
  sign?: SignOptions;
  /** Run all phases in one creator container (faster; buildpacks then run beside registry credentials). */
  trustBuilder: boolean;
  /**
   * Skip every phase when the image at the target tag was built from the same inputs (source tree,
   * build env, builder, run image, buildpacks, options), recorded in its dev.ml-buildpacks.inputs label.
   */
  fastPath: boolean;
  /**
   * How pre-export gzips the large new layers (pre-export/compressor.ts). fast: igzip level 3;
   * small: zlib level 4, and recompression after the export where pre-export could not run (recompress.ts).
   */
  compression: Compression;
  /**
   * Host CA bundle to trust inside the phase containers (TLS-intercepting proxies, private indexes).
   * Mounted read-only over the build image's system bundle; never part of an image layer.
   */
  caCerts: string | undefined;
  /**
   * Registries spoken to over plain HTTP (host[:port], as in image references), by our registry
   * client and the lifecycle (-insecure-registry). Loopback registries always are.
   */
  insecureRegistries: string[];
  /**
   * Memory limit of each lifecycle container (docker --memory, swap included), e.g. "2g"; undefined:
   * none. The kernel then reclaims page cache instead of letting it grow, and a runaway build is
   * stopped instead of starving the CI host. The local executor runs inside a container whose limits
   * the CI sets.
   */
  memoryLimit: string | undefined;
}

export const REQUEST_DEFAULTS = {
  pull: "missing",
  logLevel: "info",
  compression: "fast",
} as const;

/** --ca-certs default: ML_BUILDPACKS_CA_CERTS, else the host's SSL_CERT_FILE when it names a file. */
export function defaultCaCerts(
  env: NodeJS.ProcessEnv,
  isFile: (path: string) => boolean,
): string | undefined {
  const candidate = env.ML_BUILDPACKS_CA_CERTS || env.SSL_CERT_FILE;
  return candidate && isFile(candidate) ? candidate : undefined;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses KEY=VALUE entries (CLI --env, action `env` lines); CNB_* names are the lifecycle's. */
export function parseEnvEntries(entries: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    const name = eq > 0 ? entry.slice(0, eq) : "";
    if (!ENV_NAME.test(name)) throw new MlBuildpacksError(messages.invalidEnvVar(entry));
    if (name.startsWith("CNB_")) throw new MlBuildpacksError(messages.reservedEnvVar(name));
    env[name] = entry.slice(eq + 1);
  }
  return env;
}

const MEMORY_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
/** Docker refuses container memory limits below 6 MiB. */
const MIN_MEMORY = 6 * 1024 ** 2;

/**
 * Pure: a memory limit in Docker's notation ("1g", "1536m", "2147483648"), normalised to lower case,
 * or an error naming `option` (the CLI flag or action input it came from).
 */
export function parseMemoryLimit(option: string, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim().toLowerCase();
  const match = /^(\d+)([bkmg]?)$/.exec(text);
  const bytes = match ? Number(match[1]) * (MEMORY_UNITS[match[2] ?? ""] ?? Number.NaN) : Number.NaN;
  if (!(bytes >= MIN_MEMORY)) throw new MlBuildpacksError(messages.badMemoryLimit(option, value));
  return text;
}
