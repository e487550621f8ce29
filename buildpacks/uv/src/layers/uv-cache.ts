// The "uv-cache" layer: UV_CACHE_DIR (downloaded and built wheels), kept in the build cache only
// (cache=true, launch=false, build=false), so a changed uv.lock doesn't download everything again.
import { type BuildContext, type Describers, type Layer, versionChanged } from "#libcnb";
import { keepCacheLayer, prepareCacheLayer } from "#pybuild/cache-layer";
import { TARGET_DESCRIBERS, targetKey } from "#pybuild/keys";

export const UV_CACHE_LAYER_VERSION = 1;

export type UvCacheKey = {
  layer_version: number;
  uv_version: string;
  python_version: string;
  arch: string;
  distro_name: string;
  distro_version: string;
};

const DESCRIBERS: Describers<UvCacheKey> = {
  layer_version: versionChanged("uv cache layer format"),
  uv_version: versionChanged("uv"),
  python_version: versionChanged("Python"),
  ...TARGET_DESCRIBERS,
};

export function uvCacheKey(
  uvVersion: string,
  pythonVersion: string,
  target: BuildContext["target"],
): UvCacheKey {
  return {
    layer_version: UV_CACHE_LAYER_VERSION,
    uv_version: uvVersion,
    python_version: pythonVersion,
    ...targetKey(target),
  };
}

/** Restores the cache when its key matches, otherwise starts an empty one; logs which. */
export function prepareUvCache(ctx: BuildContext, key: UvCacheKey): Layer {
  return prepareCacheLayer(ctx, "uv-cache", "uv download cache", key, DESCRIBERS);
}

export function saveUvCache(layer: Layer, key: UvCacheKey): void {
  layer.write(key, { cache: true });
}

/** When the venv is reused uv doesn't run: keep a restored, still valid cache as it is. */
export function keepUvCache(ctx: BuildContext, key: UvCacheKey): void {
  keepCacheLayer(ctx, "uv-cache", key, DESCRIBERS);
}
