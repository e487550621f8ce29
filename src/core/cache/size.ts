import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Bytes under a directory (0 when absent): logged so users see what the cache costs them. */
export function dirSize(dir: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    total += stat.isDirectory() ? dirSize(path) : stat.size;
  }
  return total;
}
