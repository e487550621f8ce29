// When an image must be built again although none of its inputs changed. A buildpack that picks up
// outside updates on a schedule (deb-packages runs apt-get update every N hours, for security fixes)
// says when the next one is due; the platform's no-change and code-change fast paths, which run no
// buildpack, stop reusing the image after that time.
import type { Label } from "./launch.js";

/** One label per buildpack: `<prefix><buildpack id with "/" as ".">`. */
export const REFRESH_LABEL_PREFIX = "dev.ml-buildpacks.refresh-due.";

export interface RefreshDue {
  buildpack: string;
  /** ISO 8601 (UTC). */
  due: string;
  /** What runs again then, for the platform's log. */
  reason: string;
}

export class RefreshRecorder {
  private earliest: { at: number; reason: string } | undefined;

  /** The image should be rebuilt from `at` (ms since the epoch) on; the earliest call wins. */
  dueAt(at: number, reason: string): void {
    if (!this.earliest || at < this.earliest.at) this.earliest = { at, reason };
  }

  label(buildpack: string): Label | undefined {
    if (!this.earliest) return undefined;
    const value: RefreshDue = {
      buildpack,
      due: new Date(this.earliest.at).toISOString(),
      reason: this.earliest.reason,
    };
    return { key: `${REFRESH_LABEL_PREFIX}${buildpack.split("/").join(".")}`, value: JSON.stringify(value) };
  }
}

/** Pure: the refresh that fell due first at `now` (ms since the epoch), if any; malformed labels are ignored. */
export function dueRefresh(labels: Record<string, string>, now: number): RefreshDue | undefined {
  let first: { due: RefreshDue; at: number } | undefined;
  for (const [key, value] of Object.entries(labels)) {
    if (!key.startsWith(REFRESH_LABEL_PREFIX)) continue;
    const parsed = parseRefreshDue(value);
    const at = parsed ? Date.parse(parsed.due) : Number.NaN;
    if (!parsed || Number.isNaN(at) || at > now) continue;
    if (!first || at < first.at) first = { due: parsed, at };
  }
  return first?.due;
}

function parseRefreshDue(value: string): RefreshDue | undefined {
  try {
    const doc = JSON.parse(value) as Partial<RefreshDue>;
    if (typeof doc.buildpack !== "string" || typeof doc.due !== "string" || typeof doc.reason !== "string")
      return undefined;
    return { buildpack: doc.buildpack, due: doc.due, reason: doc.reason };
  } catch {
    return undefined;
  }
}
