import { isAbsolute, join } from "node:path";
import { MlBuildpacksError } from "../core/errors.js";
import { formatImageRef, parseImageRef } from "../core/image-ref.js";
import { defaultBuilder, defaultRunImage, FLAVORS, type Flavor, isFlavor } from "../core/published.js";
import { COMPRESSION_MODES, type Compression } from "../core/recompress.js";
import { type BuildRequest, parseEnvEntries, parseMemoryLimit, REQUEST_DEFAULTS } from "../core/request.js";
import { checkSecretsApart } from "../core/secrets.js";
import { messages } from "./messages.js";

/** The action's inputs, typed and validated: every input in action.yml appears here once. */
export interface ActionInputs {
  path: string;
  image: string;
  tags: string[];
  builder: string;
  runImage: string | undefined;
  previousImage: string | undefined;
  env: Record<string, string>;
  /** Build secrets (the `secrets` input): see BuildRequest.secrets. */
  secrets: Record<string, string>;
  publish: boolean;
  cache: boolean;
  cacheScope: string | undefined;
  trustBuilder: boolean;
  fastPath: boolean;
  compression: Compression;
  memory: string | undefined;
  clearCache: boolean;
  platform: string | undefined;
  insecureRegistries: string[];
  /** `sbom-output-dir`: where the pushed image's SBOM is written (core/sbom); undefined: nowhere. */
  sbomOutputDir: string | undefined;
}

export const PLATFORMS = ["linux/amd64", "linux/arm64"] as const;

const TRUE = ["true", "True", "TRUE"];
const FALSE = ["false", "False", "FALSE"];

function bool(name: string, value: string, fallback: boolean): boolean {
  if (value === "") return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new MlBuildpacksError(messages.badBoolean(name, value));
}

/** Newline- or comma-separated list, blanks dropped. */
function list(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * GitHub allows capitals in owner and repository names (`ghcr.io/${{ github.repository }}`); image
 * repositories must be lower case. Pure: the reference with its registry and repository lower-cased,
 * the tag and digest untouched.
 */
export function lowerCaseRepository(ref: string): string {
  const trimmed = ref.trim();
  const tagOrDigest = /(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})+$/.exec(
    trimmed.slice(trimmed.lastIndexOf("/")),
  );
  const suffix = tagOrDigest ? tagOrDigest[0] : "";
  return `${trimmed.slice(0, trimmed.length - suffix.length).toLowerCase()}${suffix}`;
}

/** `1.2` -> same repository as image with tag 1.2; anything with a / or : is a full reference. */
function expandTag(image: string, tag: string): string {
  if (tag.includes("/")) return formatImageRef(parseImageRef(lowerCaseRepository(tag)));
  const ref = parseImageRef(image);
  return formatImageRef({ ...ref, tag: tag.replace(/^:/, ""), digest: undefined });
}

function envLines(value: string): Record<string, string> {
  const entries: string[] = [];
  value.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) throw new MlBuildpacksError(messages.badEnvLine(i + 1, line));
    entries.push(line);
  });
  return parseEnvEntries(entries);
}

/** `secrets`: NAME=VALUE lines, as `env`, but an error never shows a line's text. */
function secretLines(value: string): Record<string, string> {
  const entries: string[] = [];
  value.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (!/^[A-Za-z_][A-Za-z0-9_]*=./.test(line)) throw new MlBuildpacksError(messages.badSecretLine(i + 1));
    entries.push(line);
  });
  return parseEnvEntries(entries);
}

/** Pure: raw input strings (as core.getInput returns them) -> validated inputs. */
export function parseInputs(get: (name: string) => string, env: NodeJS.ProcessEnv = {}): ActionInputs {
  const image = lowerCaseRepository(get("image"));
  if (!image) throw new MlBuildpacksError(messages.required("image"));
  parseImageRef(image);
  const platform = get("platform").trim() || undefined;
  if (platform && !(PLATFORMS as readonly string[]).includes(platform))
    throw new MlBuildpacksError(messages.badPlatform(platform, PLATFORMS));
  const cacheScope = get("cache-scope").trim() || undefined;
  if (cacheScope && !/^[A-Za-z0-9._-]+$/.test(cacheScope))
    throw new MlBuildpacksError(messages.badScope(cacheScope));
  const flavor = flavorInput(get("flavor").trim());
  const explicitBuilder = get("builder").trim();
  const builder = explicitBuilder || defaultBuilder(env, flavor);
  parseImageRef(builder);
  const buildEnv = envLines(get("env"));
  const secrets = secretLines(get("secrets"));
  checkSecretsApart(buildEnv, secrets);
  const publish = bool("publish", get("publish").trim(), true);
  return {
    path: get("path").trim() || ".",
    image,
    tags: list(get("tags")).map((t) => expandTag(image, t)),
    builder,
    // A mirror's builder names the published run image: the default builder gets the mirror's.
    runImage: get("run-image").trim() || (explicitBuilder ? undefined : defaultRunImage(env, flavor)),
    previousImage: get("previous-image").trim() || undefined,
    env: buildEnv,
    secrets,
    publish,
    cache: bool("cache", get("cache").trim(), true),
    cacheScope,
    trustBuilder: bool("trust-builder", get("trust-builder").trim(), false),
    fastPath: bool("fast-path", get("fast-path").trim(), true),
    compression: compressionInput(get("compression").trim()),
    memory: parseMemoryLimit('input "memory"', get("memory")),
    clearCache: bool("clear-cache", get("clear-cache").trim(), false),
    platform,
    insecureRegistries: list(get("insecure-registries")),
    sbomOutputDir: sbomOutputDirInput(get("sbom-output-dir").trim(), publish),
  };
}

function sbomOutputDirInput(value: string, publish: boolean): string | undefined {
  if (value === "") return undefined;
  if (!publish) throw new MlBuildpacksError(messages.sbomNeedsPublish);
  return value;
}

/** Pure: inputs -> the core's build request. */
export function toBuildRequest(
  inputs: ActionInputs,
  ctx: { workspace: string; cacheDir: string | undefined; caCerts: string | undefined },
): BuildRequest {
  return {
    appDir: isAbsolute(inputs.path) ? inputs.path : join(ctx.workspace, inputs.path),
    image: inputs.image,
    additionalTags: inputs.tags,
    builder: inputs.builder,
    runImage: inputs.runImage,
    previousImage: inputs.previousImage,
    cacheDir: inputs.cache ? ctx.cacheDir : undefined,
    clearCache: inputs.clearCache,
    env: inputs.env,
    secrets: inputs.secrets,
    platform: inputs.platform,
    pull: "missing",
    defaultProcess: undefined,
    logLevel: "info",
    caCerts: ctx.caCerts,
    insecureRegistries: inputs.insecureRegistries,
    publish: inputs.publish,
    trustBuilder: inputs.trustBuilder,
    fastPath: inputs.fastPath,
    compression: inputs.compression,
    memoryLimit: inputs.memory,
    ...(inputs.sbomOutputDir ? { sbomOutputDir: sbomDirOf(inputs, ctx.workspace) } : {}),
  };
}

/** The `sbom-output-dir` input as an absolute path (relative ones are under the workspace). */
export function sbomDirOf(
  inputs: Pick<ActionInputs, "sbomOutputDir">,
  workspace: string,
): string | undefined {
  const dir = inputs.sbomOutputDir;
  if (!dir) return undefined;
  return isAbsolute(dir) ? dir : join(workspace, dir);
}

function flavorInput(value: string): Flavor {
  if (value === "") return "cpu";
  if (!isFlavor(value)) throw new MlBuildpacksError(messages.badFlavor(value, FLAVORS));
  return value;
}

function compressionInput(value: string): Compression {
  if (value === "") return REQUEST_DEFAULTS.compression;
  const mode = COMPRESSION_MODES.find((m) => m === value);
  if (!mode) throw new MlBuildpacksError(messages.badCompression(value, COMPRESSION_MODES));
  return mode;
}
