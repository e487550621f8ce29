// The "env" layer: the conda environment, exported into the image.
//
// Flags: launch=true, build=false, cache=false, as the other package managers' venv layers. The
// lifecycle (v0.21) restores env.toml from the previous image's metadata, without contents; when the
// key below matches, the build only rewrites env.toml and leaves <layers>/env absent, so the exporter
// reuses the previous image's layer as is. Any change rebuilds it from scratch (never installing on top
// of a stale environment) and the log says what changed.
//
// The prefix is <layer>/prefix, not the layer root: the launcher puts a launch layer's lib/ on
// LD_LIBRARY_PATH, which would push the environment's libraries (libstdc++, openssl, ...) into every
// process of the image, system tools included. A conda env finds its libraries through RPATH; only
// its bin/ goes on PATH (env.launch), so `python` is the environment's.
import { join } from "node:path";
import {
  type BuildContext,
  type Describers,
  decideReuse,
  fileChanged,
  type Layer,
  type ReuseDecision,
  versionChanged,
} from "#libcnb";
import { TARGET_DESCRIBERS, targetKey } from "#pybuild/keys";
import { describePackageChanges, packagesDigest, packagesList, type ResolvedPackage } from "../resolved.js";
import type { CondaSource } from "../source.js";

/** Bump when the layout or the way the environment is built changes, to discard old layers. */
export const ENV_LAYER_VERSION = 1;

export type EnvKey = {
  layer_version: number;
  /** environment.yml, environment.yaml or conda-<subdir>.lock */
  source: string;
  source_sha256: string;
  channels: string;
  packages: string;
  packages_sha256: string;
  rattler_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

export function envKey(
  source: CondaSource,
  channels: readonly string[],
  packages: readonly ResolvedPackage[],
  rattlerVersion: string,
  target: BuildContext["target"],
): EnvKey {
  return {
    layer_version: ENV_LAYER_VERSION,
    source: source.file,
    source_sha256: source.sha256,
    channels: channels.join(" "),
    packages: packagesList(packages),
    packages_sha256: packagesDigest(packages),
    rattler_version: rattlerVersion,
    ...targetKey(target),
  };
}

export function envDescribers(source: string): Describers<EnvKey> {
  return {
    layer_version: versionChanged("conda env layer format"),
    source: versionChanged("environment source"),
    source_sha256: fileChanged(source),
    channels: versionChanged("channels"),
    packages: describePackageChanges,
    packages_sha256: () => "resolved package files changed (same versions, other sha256)",
    rattler_version: versionChanged("py-rattler"),
    ...TARGET_DESCRIBERS,
  };
}

export function decideEnv(key: EnvKey, layer: Pick<Layer, "restored">): ReuseDecision {
  const decision = decideReuse(key, layer.restored, envDescribers(key.source));
  if (decision.action !== "rebuild") return decision;
  // When the versions changed, "other sha256" says nothing new.
  const versions = decision.reasons.some((r) => r.startsWith("resolved packages changed:"));
  return versions
    ? { ...decision, reasons: decision.reasons.filter((r) => !r.startsWith("resolved package files")) }
    : decision;
}

export function prefixOf(layer: Pick<Layer, "path">): string {
  return join(layer.path, "prefix");
}

/** Launch env: the environment's bin/ first on PATH, and the variables conda's activation sets. */
export function writeEnvEnv(layer: Layer, name: string): void {
  const prefix = prefixOf(layer);
  layer.env.launch.prepend("PATH", join(prefix, "bin"), ":");
  layer.env.launch.override("CONDA_PREFIX", prefix);
  layer.env.launch.override("CONDA_DEFAULT_ENV", name);
  layer.env.launch.default("PYTHONUNBUFFERED", "1");
}
