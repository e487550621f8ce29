import { formatBytes, formatDuration } from "../core/log.js";
import type { BuildReport } from "../core/report.js";

export interface CacheOutcome {
  enabled: boolean;
  scope: string;
  /** "exact", "partial" or "miss". */
  result: "exact" | "partial" | "miss" | "disabled";
  restoredBytes: number;
  restoreMs: number;
}

/** Pure: the job summary (markdown) of one build. */
export function renderJobSummary(r: BuildReport, c: CacheOutcome): string {
  const cache =
    c.result === "disabled"
      ? "disabled"
      : `${c.result === "exact" ? "hit" : c.result === "partial" ? "restored from the scope's newest cache" : "miss"} (scope \`${c.scope}\`, ${formatBytes(c.restoredBytes)} in ${formatDuration(c.restoreMs)})`;
  const rows: [string, string][] = [
    ["Image", `\`${r.imageRef}\``],
    ["Tags", r.tags.map((t) => `\`${t}\``).join(", ")],
    ["Platform", r.platform],
    ["Buildpacks", r.buildpacks.map((b) => `\`${b.id}@${b.version}\``).join(", ")],
    ["Layers", `${r.layers.reused.length} reused, ${r.layers.added.length} added`],
    ["Layer cache", cache],
    ["Fast path", `${r.fastPath.used ? "used" : "not used"}: ${r.fastPath.reason}`],
    ["Image size", r.imageSizeBytes === undefined ? "unknown" : formatBytes(r.imageSizeBytes)],
    [
      "Builder",
      `\`${r.builder.ref}\` (lifecycle ${r.builder.lifecycleVersion}, Platform API ${r.builder.platformApi})`,
    ],
    ["Total", formatDuration(r.totalMs)],
  ];
  const phases = r.phases.map((p) => `| ${p.phase} | ${formatDuration(p.ms)} |`);
  const layerList = (title: string, names: string[]) =>
    names.length
      ? `\n<details><summary>${title} (${names.length})</summary>\n\n${names.map((n) => `- \`${n}\``).join("\n")}\n</details>\n`
      : "";
  return [
    "## ml-buildpacks build",
    "",
    "| | |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    "",
    "| Phase | Duration |",
    "|---|---|",
    ...phases,
    layerList("Layers added", r.layers.added),
    layerList("Layers reused", r.layers.reused),
  ].join("\n");
}
