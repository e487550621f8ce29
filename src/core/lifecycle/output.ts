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
  // Pre-export pushed the layer; the exporter then "reuses" it (not counted twice, below).
  [/^Pre-exported layer '(.+?)':/, "added"],
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
      if (key !== "reused" || !activity.added.includes(match[1])) activity[key].push(match[1]);
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

const DETECT_NOISE =
  /^(Starting detector|Parsing inputs|Ensuring privileges|Executing command|Timer: |Checking for match|Resolving plan|skip: )/;

/** Pure: the detector's debug lines worth showing a person when detection failed. */
export function detectFailureLines(lines: readonly string[]): string[] {
  return lines.filter((line) => !DETECT_NOISE.test(line.trim()));
}

/** Pure: "buildpack: what it looked for" per buildpack, once each, from the detector's debug output. */
export function detectFailureReasons(lines: readonly string[]): string[] {
  const reasons = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of lines) {
    const header = /^======== (Output: (.+)|Results) ========$/.exec(line.trim());
    if (header) {
      current = header[2];
      if (current && !reasons.has(current)) reasons.set(current, []);
      else if (current) current = undefined; // seen in an earlier group: skip the repeat
      continue;
    }
    if (current && line.trim()) reasons.get(current)?.push(line.trim());
  }
  // A buildpack's rendered error ("! ERROR: <title>", then "!   in <file:line>") is printed in full
  // above: the summary names it in one line instead of gluing its paragraphs together.
  return [...reasons]
    .filter(([, r]) => r.length > 0)
    .map(([bp, r]) => {
      const error = r.findIndex((l) => l.startsWith("! ERROR: "));
      if (error < 0) return `${bp}: ${r.join(" ")}`;
      const where = /^!\s+in (.+)$/.exec(r[error + 1] ?? "")?.[1];
      return `${bp}: ${(r[error] ?? "").slice(9)}${where ? ` (${where})` : ""}; its message is above`;
    });
}

/**
 * Pure: the buildpack group from the creator's detect output ("3 of 3 buildpacks participating"
 * followed by "<id> <version>" lines); the separate detector's group.toml serves otherwise.
 */
export function groupFromCreatorOutput(lines: readonly string[]): { id: string; version: string }[] {
  const start = lines.findIndex((l) => /^\d+ of \d+ buildpacks participating$/.test(l.trim()));
  if (start < 0) return [];
  const group: { id: string; version: string }[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^([a-z0-9][\w./-]*)\s+(\d[\w.+-]*)$/i.exec(line.trim());
    if (!match?.[1] || !match[2]) break;
    group.push({ id: match[1], version: match[2] });
  }
  return group;
}
