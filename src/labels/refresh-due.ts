// The refresh-due labels: when an image must be built again although none of its inputs changed.
// The buildpack library writes them (libcnb/refresh.ts), the platform's fast path reads them.

/** One label per buildpack: `<prefix><buildpack id with "/" as ".">`. */
export const REFRESH_LABEL_PREFIX = "dev.ml-buildpacks.refresh-due.";

export interface RefreshDue {
  buildpack: string;
  /** ISO 8601 (UTC). */
  due: string;
  /** What runs again then, for the platform's log. */
  reason: string;
}

export function refreshLabelKey(buildpack: string): string {
  return `${REFRESH_LABEL_PREFIX}${buildpack.split("/").join(".")}`;
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
