// The names of everything ml-buildpacks publishes, from one setting: the registry namespace.
// <ns>/{build,run,builder}:<flavor>[-<version>][-<arch>]; per-arch images and multi-arch indexes.
import { MlBuildpacksError } from "./errors.js";
import { type ImageRef, parseImageRef } from "./image-ref.js";
import { messages } from "./messages.js";
import { ML_BUILDPACKS_VERSION } from "./version.js";

/** Where the project's own release publishes (GitHub org/repo ml-buildpacks/ml-buildpacks on GHCR). */
export const PUBLISHED_NAMESPACE = "ghcr.io/ml-buildpacks/ml-buildpacks";
export const FLAVORS = ["cpu", "cuda"] as const;
export type Flavor = (typeof FLAVORS)[number];
export type ImageKind = "build" | "run" | "builder";

/**
 * The namespace users pull from: ML_BUILDPACKS_NAMESPACE (a mirror in a platform team's registry, an
 * air-gapped copy, the lab), else the project's own. Registries want lower-case repository names.
 */
export function publishedNamespace(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.ML_BUILDPACKS_NAMESPACE?.trim().replace(/\/+$/, "");
  return value ? validNamespace(value) : PUBLISHED_NAMESPACE;
}

/** registry[:port]/path, lower-cased; a scheme, tag or digest would make every image name wrong. */
function validNamespace(value: string): string {
  const invalid = (why: string) => new MlBuildpacksError(messages.invalidNamespace(value, why));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw invalid("it has a scheme (leave out https://)");
  if (value.includes("@")) throw invalid("it has a digest");
  const namespace = value.toLowerCase();
  let ref: ImageRef;
  try {
    ref = parseImageRef(`${namespace}/builder:cpu`);
  } catch {
    throw invalid("its path is not registry[:port]/name (lowercase letters, digits, . _ - /; no tag)");
  }
  // "ml-buildpacks" alone would become docker.io/library/...: a namespace names its registry.
  if (ref.registry === "index.docker.io" && !namespace.startsWith("docker.io/"))
    throw invalid("it does not start with a registry host (e.g. ghcr.io/, docker.io/)");
  return namespace;
}

export function isFlavor(value: string): value is Flavor {
  return (FLAVORS as readonly string[]).includes(value);
}

/** [flavor, version, arch] joined by "-": cpu, cpu-1.0.0, cpu-1.0.0-amd64, cpu-amd64. */
export function publishedTag(parts: { flavor: string; version?: string; arch?: string }): string {
  return [parts.flavor, parts.version, parts.arch].filter((p) => p !== undefined && p !== "").join("-");
}

export function publishedImage(
  namespace: string,
  kind: ImageKind,
  parts: { flavor: string; version?: string; arch?: string },
): string {
  return `${namespace}/${kind}:${publishedTag(parts)}`;
}

/** The version tags a release moves: 1.2.3 -> 1.2.3, 1.2, 1. */
export function versionTags(version: string): string[] {
  const [major, minor] = version.split(".");
  return [version, `${major}.${minor}`, `${major}`];
}

/** major.minor: the line a builder's run image follows, so patch releases of the stacks reach it. */
export function versionLine(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/** The builder each adapter uses by default: its own release's, of the given flavor (an index). */
export function defaultBuilder(
  env: NodeJS.ProcessEnv,
  flavor: Flavor,
  version = ML_BUILDPACKS_VERSION,
): string {
  return publishedImage(publishedNamespace(env), "builder", { flavor, version });
}

/**
 * The run image to pass with the default builder: none for the published namespace (the builder names
 * its own), else the mirror's `<ns>/run:<flavor>-<major.minor>`. A copied builder still names the
 * namespace it was created for; without this an air-gapped build would reach for that registry.
 */
export function defaultRunImage(
  env: NodeJS.ProcessEnv,
  flavor: Flavor,
  version = ML_BUILDPACKS_VERSION,
): string | undefined {
  const namespace = publishedNamespace(env);
  if (namespace === PUBLISHED_NAMESPACE) return undefined;
  return publishedImage(namespace, "run", { flavor, version: versionLine(version) });
}

/** Fills a builder.toml template's ${namespace}, ${version}, ${line} and ${arch}. */
export function fillBuilderTemplate(
  text: string,
  values: { namespace: string; version: string; arch?: string },
): string {
  const known: Record<string, string | undefined> = {
    namespace: values.namespace,
    version: values.version,
    line: versionLine(values.version),
    arch: values.arch,
  };
  // An unknown or unset placeholder stays, so the config check names it.
  return text.replace(/\$\{(\w+)\}/g, (whole, key: string) => known[key] ?? whole);
}
