// Build plan: what detect writes to CNB_BUILD_PLAN_PATH, and the Buildpack Plan build reads from CNB_BP_PLAN_PATH.
import { readFileSync } from "node:fs";
import { isNotFound } from "./files.js";
import { isTable, parseToml, stringifyToml, type TomlTable } from "./toml.js";

export interface Provide {
  name: string;
}

export interface Require {
  name: string;
  /** Free-form; the lifecycle rejects a top-level `version`, so versions go here (metadata.version). */
  metadata?: TomlTable;
}

export interface PlanSections {
  provides?: Provide[];
  requires?: Require[];
}

export interface BuildPlan extends PlanSections {
  /** Alternatives the lifecycle tries, in order, when the primary sections don't resolve. */
  or?: PlanSections[];
}

export type DetectResult = { pass: true; plan: BuildPlan } | { pass: false; reasons: string[] };

/** Detection passed. An empty plan (the default) is valid: the buildpack takes part without provides/requires. */
export function pass(plan: BuildPlan = {}): DetectResult {
  return { pass: true, plan };
}

/** Detection failed; reasons are printed to stdout (shown by the lifecycle at debug level). */
export function fail(...reasons: string[]): DetectResult {
  return { pass: false, reasons };
}

function sections(s: PlanSections): TomlTable | undefined {
  const out: Record<string, unknown> = {};
  if (s.provides?.length) out.provides = s.provides.map((p) => ({ name: p.name }));
  if (s.requires?.length) {
    out.requires = s.requires.map((r) =>
      r.metadata ? { name: r.name, metadata: r.metadata } : { name: r.name },
    );
  }
  return Object.keys(out).length ? (out as TomlTable) : undefined;
}

/** TOML for CNB_BUILD_PLAN_PATH ("" for an empty plan). */
export function renderBuildPlan(plan: BuildPlan): string {
  const table: Record<string, unknown> = { ...(sections(plan) ?? {}) };
  const or = (plan.or ?? []).map((s) => sections(s) ?? {});
  if (or.length) table.or = or;
  return stringifyToml(table);
}

export interface PlanEntry {
  name: string;
  metadata: TomlTable;
}

/** Entries this buildpack provides, each carrying a requirer's metadata (one entry per require). */
export interface BuildpackPlan {
  entries: PlanEntry[];
}

export function parseBuildpackPlan(text: string, source = "plan.toml"): BuildpackPlan {
  const toml = parseToml(text, source);
  const raw = Array.isArray(toml.entries) ? toml.entries : [];
  const entries: PlanEntry[] = [];
  for (const e of raw) {
    if (!isTable(e) || typeof e.name !== "string") continue;
    entries.push({ name: e.name, metadata: isTable(e.metadata) ? e.metadata : {} });
  }
  return { entries };
}

export function readBuildpackPlan(path: string | undefined): BuildpackPlan {
  if (!path) return { entries: [] };
  try {
    return parseBuildpackPlan(readFileSync(path, "utf8"), path);
  } catch (err) {
    if (isNotFound(err)) return { entries: [] };
    throw err;
  }
}
