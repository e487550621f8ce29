/** What the exporter did with each layer, read from its log (lifecycle 0.21 phase/exporter.go, phase/cache.go). */
export interface LayerActivity {
  added: string[];
  reused: string[];
  cacheAdded: string[];
  cacheReused: string[];
}

export function emptyActivity(): LayerActivity {
  return { added: [], reused: [], cacheAdded: [], cacheReused: [] };
}

const PATTERNS: [RegExp, keyof LayerActivity][] = [
  [/^Reusing cache layer '(.+)'$/, "cacheReused"],
  [/^Adding cache layer '(.+)'$/, "cacheAdded"],
  [/^Reusing layer '(.+)'$/, "reused"],
  [/^Adding layer '(.+)'$/, "added"],
];

/** Pure: folds one exporter output line into the activity record. */
export function recordExporterLine(activity: LayerActivity, line: string): void {
  const text = line.trim();
  for (const [pattern, key] of PATTERNS) {
    const match = pattern.exec(text);
    if (match?.[1]) {
      activity[key].push(match[1]);
      return;
    }
  }
  const app = /^(Reused|Added) (\d+)\/(\d+) app layer\(s\)$/.exec(text);
  if (app) {
    const count = Number(app[2]);
    for (let i = 0; i < count; i++)
      activity[app[1] === "Reused" ? "reused" : "added"].push(`app${count > 1 ? `-${i + 1}` : ""}`);
  }
}
