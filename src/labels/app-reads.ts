// The app-reads labels: which app files each buildpack's build read. The buildpack library writes
// them (libcnb/app-reads.ts), the platform's fast path reads them (core/fast-path); this contract is
// the only thing the two share.

/** One label per buildpack: `<prefix><buildpack id with "/" as ".">`. */
export const APP_READS_LABEL_PREFIX = "dev.ml-buildpacks.app-reads.";

export interface AppReads {
  buildpack: string;
  /** App-relative, "/"-separated, sorted. */
  files: string[];
  /** Why the build depends on every app file, when it does. */
  wholeApp?: string;
}

export function appReadsLabelKey(buildpack: string): string {
  return `${APP_READS_LABEL_PREFIX}${buildpack.split("/").join(".")}`;
}

/** Pure: the app-reads labels of an image config, by buildpack id; malformed values are left out. */
export function appReadsFromLabels(labels: Record<string, string>): Map<string, AppReads> {
  const out = new Map<string, AppReads>();
  for (const [key, value] of Object.entries(labels)) {
    if (!key.startsWith(APP_READS_LABEL_PREFIX)) continue;
    try {
      const doc = JSON.parse(value) as Partial<AppReads>;
      if (typeof doc.buildpack !== "string" || !Array.isArray(doc.files)) continue;
      if (!doc.files.every((f) => typeof f === "string")) continue;
      out.set(doc.buildpack, {
        buildpack: doc.buildpack,
        files: doc.files,
        ...(typeof doc.wholeApp === "string" ? { wholeApp: doc.wholeApp } : {}),
      });
    } catch {
      // not ours: ignored, so the buildpack counts as undeclared
    }
  }
  return out;
}
