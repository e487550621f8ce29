// A cache-only layer (cache=true, launch=false, build=false) of downloads a tool keeps between builds:
// pip's cache, conda's package cache. Restored when its key matches, otherwise started empty, and the
// log says which. The buildpack owns the key; this owns reuse and the log lines.
import { type BuildContext, type Describers, decideReuse, type Layer } from "../libcnb/index.js";

type Key = Record<string, string | number>;

/** `what` names the cache in the log, e.g. "pip download cache". */
export function prepareCacheLayer<K extends Key>(
  ctx: Pick<BuildContext, "layers" | "logger">,
  name: string,
  what: string,
  key: K,
  describers: Describers<K>,
): Layer {
  const layer = ctx.layers.get(name);
  const decision = decideReuse(key, layer.restored, describers);
  if (decision.action === "reuse" && layer.hasContents()) {
    ctx.logger.step(`Using the ${what} from the previous build`);
    return layer;
  }
  if (decision.action === "rebuild") {
    ctx.logger.step(`Clearing the ${what}:`);
    ctx.logger.detail(decision.reasons);
  }
  layer.reset();
  return layer;
}

/** When the tool doesn't run this build: keep a restored, still valid cache as it is. */
export function keepCacheLayer<K extends Key>(
  ctx: Pick<BuildContext, "layers">,
  name: string,
  key: K,
  describers: Describers<K>,
): void {
  const layer = ctx.layers.get(name);
  if (layer.hasContents() && decideReuse(key, layer.restored, describers).action === "reuse")
    layer.write(key, { cache: true });
}
