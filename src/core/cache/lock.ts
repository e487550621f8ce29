// One build at a time per cache dir. The lifecycle's volume cache is not safe to share: each
// restorer and exporter deletes staging/ when it starts and the exporter swaps committed/ at the
// end, so two builds on one dir (two CLI runs, two jobs of a self-hosted runner with the same
// scope) could commit each other's half-written layers. A second build waits for the first.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { MlBuildpacksError } from "../errors.js";

/**
 * Beside the cache dir (DIR.lock), so no CI cache archive of DIR ever carries a lock to another
 * machine; inside it (DIR/.ml-buildpacks.lock) only when DIR's parent is not writable.
 */
export const LOCK_FILE = ".ml-buildpacks.lock";

/** Where the lock of `dir` is tried first. */
export function lockPathOf(dir: string): string {
  return `${dir.replace(/\/+$/, "")}.lock`;
}

const UNWRITABLE = new Set(["EACCES", "EPERM", "EROFS"]);

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export interface LockDeps {
  log: { info(message: string): void };
  /** Whether a process of this host is alive (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** How long to wait for another build, in ms (default 30 minutes). */
  waitMs?: number;
  pid?: number;
  host?: string;
}

/** Pure: whether a lock can be taken over: its build ran on this host and is gone. */
export function isStale(
  holder: LockHolder | undefined,
  host: string,
  isAlive: (pid: number) => boolean,
): boolean {
  if (!holder) return true;
  return holder.host === host && !isAlive(holder.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const doc = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
    return typeof doc.pid === "number" && typeof doc.host === "string" ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the cache dir's lock, waiting for another build that holds it; returns the release function. */
export async function lockCacheDir(dir: string, deps: LockDeps): Promise<() => void> {
  let path = lockPathOf(dir);
  const isAlive = deps.isAlive ?? alive;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  const me: LockHolder = {
    pid: deps.pid ?? process.pid,
    host: deps.host ?? hostname(),
    since: new Date(now()).toISOString(),
  };
  const mine = JSON.stringify(me);
  const deadline = now() + (deps.waitMs ?? 30 * 60_000);
  let told = false;
  for (;;) {
    try {
      writeFileSync(path, mine, { flag: "wx" });
      return () => {
        // Only our own lock: one taken over as stale belongs to another build now.
        const current = readHolder(path);
        if (current && JSON.stringify(current) === mine) rmSync(path, { force: true });
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "";
      if (UNWRITABLE.has(code) && path === lockPathOf(dir)) {
        path = join(dir, LOCK_FILE);
        continue;
      }
      if (code !== "EEXIST") throw err;
    }
    const holder = readHolder(path);
    // A lock file being written reads as empty for an instant: only a complete one is judged.
    if (holder && isStale(holder, me.host, isAlive)) {
      deps.log.info(
        `the layer cache in ${dir} was locked by build ${holder.pid}, which is gone: taking it over`,
      );
      rmSync(path, { force: true });
      continue;
    }
    if (now() >= deadline)
      throw new MlBuildpacksError({
        title: `the layer cache in ${dir} is in use by another build${holder ? ` (process ${holder.pid} on ${holder.host} since ${holder.since})` : ""}`,
        hint: `wait for that build, give this build its own cache dir (--cache-dir, or another cache scope), or delete ${path} if no build is running`,
      });
    if (!told) {
      deps.log.info(
        `waiting for another build using the layer cache in ${dir}${holder ? ` (process ${holder.pid} on ${holder.host})` : ""}`,
      );
      told = true;
    }
    await sleep(1000);
  }
}
