// What both executors share about a build's safety: the cache dir's lock (cache/lock.ts) and repair
// (cache/verify.ts) before the first phase, and the error of a cancelled build.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { LOCK_FILE, lockCacheDir } from "../cache/lock.js";
import { describeCacheProblem, repairCacheDir, stampCacheDir } from "../cache/verify.js";
import { MlBuildpacksError } from "../errors.js";
import type { Logger } from "../log.js";

/**
 * Locks `dir`, then empties (`clear`) or repairs it; returns the release function (cleanup() calls
 * it), which first stamps what the lifecycle left there, so the next build hashes only what changed.
 */
export async function guardCacheDir(
  dir: string,
  log: Pick<Logger, "info" | "warn">,
  clear = false,
): Promise<() => void> {
  const unlock = await lockCacheDir(dir, { log });
  const release = () => {
    stampCacheDir(dir);
    unlock();
  };
  try {
    if (clear) {
      for (const entry of readdirSync(dir))
        if (entry !== LOCK_FILE) rmSync(join(dir, entry), { recursive: true, force: true });
      log.info(`cleared the layer cache in ${dir}`);
      return release;
    }
    for (const problem of await repairCacheDir(dir)) log.warn(describeCacheProblem(dir, problem));
  } catch (err) {
    unlock();
    throw err;
  }
  return release;
}

/** The phase that was running when the build was cancelled; the exit code a shell gives a signal. */
export function cancelledError(signal: NodeJS.Signals, phase: string): MlBuildpacksError {
  return new MlBuildpacksError({
    title: `the build was cancelled (${signal}) during the ${phase} phase`,
    hint: "no tag was moved by this build and its layer cache holds what the last finished build committed: run it again",
    exitCode: 128 + (signal === "SIGINT" ? 2 : 15),
  });
}
