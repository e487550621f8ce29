import * as cache from "@actions/cache";
import type { CacheStore } from "../core/cache/store.js";
import type { Logger } from "../core/log.js";

/**
 * The lifecycle cache dir in the Actions cache. Only committed/ is kept: staging/ and
 * committed-backup/ are rebuilt every run and would only make the entry bigger.
 */
export class ActionsCacheStore implements CacheStore {
  constructor(private readonly log: Logger) {}

  async restore(dir: string, primaryKey: string, restoreKeys: string[]): Promise<string | undefined> {
    try {
      return await cache.restoreCache([`${dir}/committed`], primaryKey, restoreKeys);
    } catch (err) {
      this.log.warn(
        `restoring the Actions cache failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return undefined;
    }
  }

  async save(dir: string, key: string): Promise<boolean> {
    try {
      return (await cache.saveCache([`${dir}/committed`], key)) !== -1;
    } catch (err) {
      this.log.warn(`saving the Actions cache failed: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
}
