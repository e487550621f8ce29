// Types for bench/lib.mjs (plain JavaScript so `node bench/run.mjs` needs no build step).
export declare const SCENARIOS: string[];
export declare const TOOLS: string[];
export declare const ALL_TOOLS: string[];
export declare const ML_TOOLS: string[];
export declare const SCENARIO_TITLES: Record<string, string>;
export declare const TOOL_TITLES: Record<string, string>;
export declare const TARGETS: { maxRatioVsDocker: number; maxRatioVsPack: number; maxPeakMemBytes: number };
export declare const USAGE: string;

export interface BenchOptions {
  reps: number;
  scenarios: string[];
  tools: string[];
  out: string | undefined;
  keep: boolean;
  chart: boolean;
  registry: "own" | "shared";
  help: boolean;
}
export declare function parseArgs(argv: string[]): BenchOptions;
export declare function toolOrder(tools: string[], rep: number): string[];
export declare function median(values: (number | undefined)[]): number | undefined;
export declare function ratio(a: number | undefined, b: number | undefined): number | undefined;
export declare function uploadedBlobs(text: string, repoPrefix: string): { repo: string; digest: string }[];
export declare function manifestBytes(manifest: unknown): number | undefined;

/** The figures of one build, and (as medians) of one scenario and tool. */
export interface BenchFigures {
  wallMs?: number;
  memPeakBytes?: number;
  memPeakRssBytes?: number;
  memPeakWorkingSetBytes?: number;
  imageBytes?: number;
  pushedBytes?: number;
}
export interface BenchRun extends BenchFigures {
  scenario: string;
  tool: string;
  measured: boolean;
  ok: boolean;
  phases?: Record<string, number>;
}
export interface BenchCell extends BenchFigures {
  n: number;
  phases: Record<string, number | undefined>;
}
export type BenchSummary = Record<string, Record<string, BenchCell>>;
export declare function summarize(runs: BenchRun[]): BenchSummary;
export declare function checkTargets(
  summary: BenchSummary,
): { scenario: string; target: string; value: string; met: boolean }[];
export declare function formatBytes(bytes: number | undefined): string;
export declare function formatSeconds(ms: number | undefined): string;
export declare function formatRatio(r: number | undefined): string;
export declare function renderTables(summary: BenchSummary, tools: string[]): string;
export declare function pushedManifests(text: string, repoPrefix: string): { repo: string; ref: string }[];
