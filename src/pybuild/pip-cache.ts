// The "pip-cache" layer: pip's cache dir for the app's packages, kept in the build cache only
// (cache=true, launch=false, build=false), so a changed lockfile doesn't download everything again.
import { type BuildContext, type Describers, type Layer, versionChanged } from "../libcnb/index.js";
import { keepCacheLayer, prepareCacheLayer } from "./cache-layer.js";
import { archOf } from "./keys.js";

/** What the cache depends on: the interpreter packages are built for, and the pip that fills it. */
export interface PipCacheTools {
  appVersion: string;
  pipVersion: string;
}

export const PIP_CACHE_LAYER_VERSION = 1;

export type PipCacheKey = {
  layer_version: number;
  python_version: string;
  pip_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

const DESCRIBERS: Describers<PipCacheKey> = {
  layer_version: versionChanged("pip cache layer format"),
  python_version: versionChanged("Python"),
  pip_version: versionChanged("pip"),
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
};

export function pipCacheKey(tools: PipCacheTools, target: BuildContext["target"]): PipCacheKey {
  return {
    layer_version: PIP_CACHE_LAYER_VERSION,
    python_version: tools.appVersion,
    pip_version: tools.pipVersion,
    arch: archOf(target),
    distro_name: target.distroName,
    distro_version: target.distroVersion,
  };
}

/** Restores the cache when its key matches, otherwise starts an empty one; logs which. */
export function preparePipCache(ctx: BuildContext, key: PipCacheKey): Layer {
  return prepareCacheLayer(ctx, "pip-cache", "pip download cache", key, DESCRIBERS);
}

export function savePipCache(layer: Layer, key: PipCacheKey): void {
  layer.write(key, { cache: true });
}

/** When the venv is reused pip doesn't run: keep a restored, still valid cache as it is. */
export function keepPipCache(ctx: BuildContext, key: PipCacheKey): void {
  keepCacheLayer(ctx, "pip-cache", key, DESCRIBERS);
}
