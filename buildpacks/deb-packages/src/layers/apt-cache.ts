// The "apt-cache" layer: apt's package lists, downloaded .deb files and our apt.conf/sources, kept in the
// build cache only (cache=true, launch=false, build=false). The next build then fetches only what changed.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BuildContext, type Describers, decideReuse, type Layer, versionChanged } from "#libcnb";
import { type AptPaths, aptConfig, aptPaths, type SourceFile } from "../apt.js";
import { sha256 } from "../hash.js";

export const APT_CACHE_LAYER_VERSION = 2;

export type AptCacheKey = {
  layer_version: number;
  arch: string;
  distro_name: string;
  distro_version: string;
  sources_sha256: string;
};

const DESCRIBERS: Describers<AptCacheKey> = {
  layer_version: versionChanged("apt cache layer format"),
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
  sources_sha256: () => "the apt sources changed",
};

export function aptCacheKey(target: BuildContext["target"], sources: readonly SourceFile[]): AptCacheKey {
  return {
    layer_version: APT_CACHE_LAYER_VERSION,
    arch: target.archVariant ? `${target.arch}/${target.archVariant}` : target.arch,
    distro_name: target.distroName,
    distro_version: target.distroVersion,
    sources_sha256: sha256(sources.map((s) => `${s.name}\0${s.content}\0`).join("")),
  };
}

export interface AptCache {
  layer: Layer;
  paths: AptPaths;
}

/**
 * Reuses the restored lists and archives when the key matches, else starts empty (saying why); then
 * (re)writes apt.conf and the sources, which are cheap and must match this build.
 */
export function prepareAptCache(
  ctx: BuildContext,
  key: AptCacheKey,
  sources: readonly SourceFile[],
  status: string,
  user: string,
): AptCache {
  const layer = ctx.layers.get("apt-cache");
  const decision = decideReuse(key, layer.restored, DESCRIBERS);
  if (decision.action === "reuse" && layer.hasContents()) {
    ctx.logger.step("Using the apt lists and downloads from the previous build");
  } else {
    if (decision.action === "rebuild") {
      ctx.logger.step("Clearing the apt cache:");
      ctx.logger.detail(decision.reasons);
    }
    layer.reset();
  }
  const paths = aptPaths(layer.path);
  rmSync(join(layer.path, "etc"), { recursive: true, force: true });
  for (const dir of [
    join(paths.lists, "partial"),
    join(paths.archives, "partial"),
    paths.sourcesParts,
    paths.cache,
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(paths.sourcesList, "");
  for (const s of sources) writeFileSync(join(paths.sourcesParts, s.name), s.content);
  writeFileSync(paths.conf, aptConfig(paths, status, user));
  return { layer, paths };
}

/** Keeps the lists and only the archives of this build's packages (the cache doesn't grow forever). */
export function saveAptCache(cache: AptCache, key: AptCacheKey, keep: ReadonlySet<string>): void {
  for (const name of readdirSync(cache.paths.archives)) {
    if (name.endsWith(".deb") && !keep.has(name)) rmSync(join(cache.paths.archives, name), { force: true });
  }
  rmSync(join(cache.paths.archives, "partial"), { recursive: true, force: true });
  mkdirSync(join(cache.paths.archives, "partial"));
  // Rebuilt from the lists by the next apt-get update: not worth its ~30 MB in the build cache.
  rmSync(cache.paths.cache, { recursive: true, force: true });
  cache.layer.write(key, { cache: true });
}
