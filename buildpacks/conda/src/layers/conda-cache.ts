// The "conda-cache" layer: rattler's repodata cache (repodata/), its package cache (pkgs/: downloaded
// archives and their extracted trees) and the verified downloads of explicit locks (explicit/). Kept in
// the build cache only (cache=true, launch=false, build=false): package archives never reach the image.
import { type BuildContext, type Describers, type Layer, versionChanged } from "#libcnb";
import { prepareCacheLayer } from "#pybuild/cache-layer";
import { TARGET_DESCRIBERS, targetKey } from "#pybuild/keys";

export const CONDA_CACHE_LAYER_VERSION = 1;

export type CondaCacheKey = {
  layer_version: number;
  rattler_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

const DESCRIBERS: Describers<CondaCacheKey> = {
  layer_version: versionChanged("conda cache layer format"),
  rattler_version: versionChanged("py-rattler"),
  ...TARGET_DESCRIBERS,
};

export function condaCacheKey(rattlerVersion: string, target: BuildContext["target"]): CondaCacheKey {
  return {
    layer_version: CONDA_CACHE_LAYER_VERSION,
    rattler_version: rattlerVersion,
    ...targetKey(target),
  };
}

/** Restores the cache when its key matches, otherwise starts an empty one; logs which. */
export function prepareCondaCache(ctx: BuildContext, key: CondaCacheKey): Layer {
  return prepareCacheLayer(ctx, "conda-cache", "conda package cache", key, DESCRIBERS);
}

/** Every build resolves (and so refreshes repodata): the cache is always saved. */
export function saveCondaCache(layer: Layer, key: CondaCacheKey): void {
  layer.write(key, { cache: true });
}
