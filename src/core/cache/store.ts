/** A CI's cache backend holding the lifecycle's cache dir between jobs. */
export interface CacheStore {
  /** Restores into dir; returns the key that matched, or undefined on a miss. Never throws. */
  restore(dir: string, primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  /** Saves dir under key. Never throws; returns whether it saved. */
  save(dir: string, key: string): Promise<boolean>;
}
