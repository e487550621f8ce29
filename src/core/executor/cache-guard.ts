// What both executors do with a cache dir before the first phase and after the last: hold its lock
// (cache/lock.ts) and drop damaged entries (cache/verify.ts), each one a warning.
import { lockCacheDir } from "../cache/lock.js";
import { describeCacheProblem, repairCacheDir } from "../cache/verify.js";
import type { Logger } from "../log.js";

/** Locks and repairs `dir`; returns the release function (cleanup() calls it). */
export async function guardCacheDir(dir: string, log: Pick<Logger, "info" | "warn">): Promise<() => void> {
  const release = await lockCacheDir(dir, { log });
  try {
    for (const problem of await repairCacheDir(dir)) log.warn(describeCacheProblem(dir, problem));
  } catch (err) {
    release();
    throw err;
  }
  return release;
}
