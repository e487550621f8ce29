// The "uv-cache" layer: UV_CACHE_DIR (downloaded and built wheels), kept in the build cache only
// (cache=true, launch=false, build=false), so a changed uv.lock doesn't download everything again.
import {
  type BuildContext,
  type Describers,
  decideReuse,
  type Layer,
  versionChanged,
} from "../../../../src/libcnb/index.js";
import { archOf } from "../../../../src/pybuild/keys.js";

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
  arch: versionChanged("architecture"),
  distro_name: versionChanged("distribution"),
  distro_version: versionChanged("distribution version"),
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
    arch: archOf(target),
    distro_name: target.distroName,
    distro_version: target.distroVersion,
  };
}

/** Restores the cache when its key matches, otherwise starts an empty one; logs which. */
export function prepareUvCache(ctx: BuildContext, key: UvCacheKey): Layer {
  const layer = ctx.layers.get("uv-cache");
  const decision = decideReuse(key, layer.restored, DESCRIBERS);
  if (decision.action === "reuse" && layer.hasContents()) {
    ctx.logger.step("Using the uv download cache from the previous build");
    return layer;
  }
  if (decision.action === "rebuild") {
    ctx.logger.step("Clearing the uv download cache:");
    ctx.logger.detail(decision.reasons);
  }
  layer.reset();
  return layer;
}

export function saveUvCache(layer: Layer, key: UvCacheKey): void {
  layer.write(key, { cache: true });
}

/** When the venv is reused uv doesn't run: keep a restored, still valid cache as it is. */
export function keepUvCache(ctx: BuildContext, key: UvCacheKey): void {
  const layer = ctx.layers.get("uv-cache");
  if (layer.hasContents() && decideReuse(key, layer.restored, DESCRIBERS).action === "reuse")
    layer.write(key, { cache: true });
}
