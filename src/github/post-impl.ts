import { join } from "node:path";
import * as core from "@actions/core";
import { dirSize } from "../core/cache/size.js";
import type { CacheStore } from "../core/cache/store.js";
import { formatBytes, formatDuration, type Logger } from "../core/log.js";
import { ActionsCacheStore } from "./cache-store.js";
import { ActionsLogger } from "./logger.js";
import { notes } from "./messages.js";
import { type ActionState, readState } from "./state.js";

/**
 * Pure: whether the post step saves the cache, else why not. A main step that did not finish
 * (failed, cancelled, killed before it wrote its state) leaves a cache that may be partial: the
 * previous entry is kept instead.
 */
export function saveDecision(
  state: ActionState | undefined,
  committedBytes: () => number,
): { save: true; state: ActionState; bytes: number } | { save: false; why: string } {
  if (!state) return { save: false, why: notes.saveSkippedNoState };
  if (!state.cacheEnabled) return { save: false, why: notes.cacheDisabled };
  if (!state.built) return { save: false, why: notes.saveSkippedFailedBuild };
  if (state.matchedKey.toLowerCase() === state.primaryKey)
    return { save: false, why: notes.saveSkippedExact(state.primaryKey) };
  const bytes = committedBytes();
  if (bytes === 0) return { save: false, why: notes.saveSkippedEmpty };
  return { save: true, state, bytes };
}

export interface PostDeps {
  log: Logger;
  readState: () => ActionState | undefined;
  store: CacheStore;
  now: () => number;
}

function defaultDeps(): PostDeps {
  const log = new ActionsLogger();
  return { log, readState, store: new ActionsCacheStore(log), now: Date.now };
}

/** The post step: save the lifecycle's committed cache; a failure here is a warning, never a failed job. */
export async function runPost(deps: PostDeps = defaultDeps()): Promise<void> {
  const { log } = deps;
  try {
    const state = deps.readState();
    const decision = saveDecision(state, () => (state ? dirSize(join(state.cacheDir, "committed")) : 0));
    if (!decision.save) return log.info(decision.why);
    const started = deps.now();
    const { cacheDir, primaryKey } = decision.state;
    const saved = await log.group("Saving layer cache", () => deps.store.save(cacheDir, primaryKey));
    if (saved)
      log.info(notes.saved(primaryKey, formatBytes(decision.bytes), formatDuration(deps.now() - started)));
  } catch (err) {
    core.warning(notes.saveFailed(err instanceof Error ? err.message : String(err)));
  }
}
