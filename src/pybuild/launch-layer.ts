// A launch-only layer an installer keeps or rebuilds as a whole (a venv, a conda environment).
// The lifecycle (v0.21) restores <layer>.toml from the previous image's metadata for such layers,
// without their contents: rewriting only the toml, with launch=true, leaves <layers>/<layer> absent
// and makes the exporter reuse the previous image's layer as is.
import type { Layer, LayerFlags, Logger, MetadataScalar, ReuseDecision } from "../libcnb/index.js";

export interface KeepOrDiscardWords {
  /** The log line when the layer is kept, e.g. "Reusing virtual environment (uv.lock ... unchanged)". */
  reusing: string;
  /** What the layer holds, e.g. "the virtual environment". */
  what: string;
}

/** Logs the decision; on reuse rewrites only the toml. True when the previous layer is kept. */
export function keepOrDiscard<K extends Record<string, MetadataScalar>>(
  log: Logger,
  layer: Layer,
  key: K,
  decision: ReuseDecision,
  flags: Partial<LayerFlags>,
  words: KeepOrDiscardWords,
): boolean {
  if (decision.action === "reuse") {
    log.step(words.reusing);
    layer.write(key, flags);
    return true;
  }
  if (decision.action === "rebuild") {
    log.step(`Discarding ${words.what} from the previous image:`);
    log.detail(decision.reasons);
  }
  return false;
}
