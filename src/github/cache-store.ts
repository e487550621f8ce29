import { rmSync } from "node:fs";
import { join } from "node:path";
import * as cache from "@actions/cache";
import type { CacheStore } from "../core/cache/store.js";
import type { Logger } from "../core/log.js";

/** The two calls of @actions/cache the store makes; tests inject a failing one. */
export type CacheBackend = Pick<typeof cache, "restoreCache" | "saveCache">;

/**
 * The lifecycle cache dir in the Actions cache. Only committed/ is kept: staging/ and
 * committed-backup/ are rebuilt every run and would only make the entry bigger. The backend being
 * down, slow or throttling is a warning: the build then starts cold, or its cache is not saved.
 */
export class ActionsCacheStore implements CacheStore {
  constructor(
    private readonly log: Pick<Logger, "warn">,
    private readonly backend: CacheBackend = cache,
  ) {}

  async restore(dir: string, primaryKey: string, restoreKeys: string[]): Promise<string | undefined> {
    const committed = join(dir, "committed");
    let matched: string | undefined;
    try {
      matched = await this.backend.restoreCache([committed], primaryKey, restoreKeys);
    } catch (err) {
      this.log.warn(
        `restoring the Actions cache failed, the build starts without it: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    // @actions/cache reports a download or extraction that broke off as a miss (with its own
    // warning), leaving what it had extracted: a miss starts from an empty committed/.
    if (!matched) rmSync(committed, { recursive: true, force: true });
    return matched;
  }

  async save(dir: string, key: string): Promise<boolean> {
    try {
      return (await this.backend.saveCache([join(dir, "committed")], key)) !== -1;
    } catch (err) {
      this.log.warn(`saving the Actions cache failed: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
}
