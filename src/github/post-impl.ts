import { join } from "node:path";
import * as core from "@actions/core";
import { dirSize } from "../core/cache/size.js";
import { formatBytes, formatDuration } from "../core/log.js";
import { ActionsCacheStore } from "./cache-store.js";
import { ActionsLogger } from "./logger.js";
import { notes } from "./messages.js";
import { readState } from "./state.js";

/** The post step: save the lifecycle's committed cache; a failure here is a warning, never a failed job. */
export async function runPost(): Promise<void> {
  const log = new ActionsLogger();
  try {
    const state = readState();
    if (!state?.cacheEnabled) return log.info(notes.cacheDisabled);
    if (!state.built) return log.info(notes.saveSkippedFailedBuild);
    if (state.matchedKey.toLowerCase() === state.primaryKey)
      return log.info(notes.saveSkippedExact(state.primaryKey));
    const size = dirSize(join(state.cacheDir, "committed"));
    if (size === 0) return log.info(notes.saveSkippedEmpty);
    const started = Date.now();
    const saved = await log.group("Saving layer cache", () =>
      new ActionsCacheStore(log).save(state.cacheDir, state.primaryKey),
    );
    if (saved)
      log.info(notes.saved(state.primaryKey, formatBytes(size), formatDuration(Date.now() - started)));
  } catch (err) {
    core.warning(notes.saveFailed(err instanceof Error ? err.message : String(err)));
  }
}
