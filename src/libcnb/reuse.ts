// Deciding whether a layer can be reused: compare the metadata this build expects with what the
// lifecycle restored, key by key, and say in words what changed.
import type { TomlTable } from "./toml.js";

export type MetadataScalar = string | number | boolean;

export type ReuseDecision =
  /** Every key matches: keep the layer. */
  | { action: "reuse" }
  /** Something changed: discard the layer and build it again; reasons say what changed. */
  | { action: "rebuild"; reasons: string[] }
  /** No previous layer (first build, no cache, or unreadable metadata). */
  | { action: "create" };

/** Describes one changed key, e.g. (3.12.1, 3.13.5) => "Python 3.12.1 -> 3.13.5". */
export type DescribeChange<V> = (before: unknown, after: V) => string;

export type Describers<M> = { [K in keyof M]?: DescribeChange<M[K]> };

function show(v: unknown): string {
  if (v === undefined) return "(none)";
  return typeof v === "string" ? (v === "" ? '""' : v) : JSON.stringify(v);
}

export function decideReuse<M extends Record<string, MetadataScalar>>(
  expected: M,
  restored: TomlTable | undefined,
  describers: Describers<M> = {},
): ReuseDecision {
  if (restored === undefined) return { action: "create" };
  const reasons: string[] = [];
  for (const key of Object.keys(expected) as (keyof M & string)[]) {
    const before = restored[key];
    const after = expected[key];
    if (before === after) continue;
    const describe = describers[key];
    // When the types differ ("1" vs 1) show both as JSON so the change is visible.
    const fmt =
      typeof before !== typeof after && before !== undefined ? (v: unknown) => JSON.stringify(v) : show;
    reasons.push(describe ? describe(before, after) : `${key} changed (${fmt(before)} -> ${fmt(after)})`);
  }
  for (const key of Object.keys(restored)) {
    if (!(key in expected)) reasons.push(`${key} no longer recorded (was ${show(restored[key])})`);
  }
  return reasons.length ? { action: "rebuild", reasons } : { action: "reuse" };
}

/** "1a2b3c4d…" */
export function shortSha(sha: unknown): string {
  return typeof sha === "string" && sha.length > 8 ? `${sha.slice(0, 8)}…` : show(sha);
}

/** For a file's digest: "requirements.txt changed (sha256 1a2b3c4d… -> 3c4d5e6f…)". */
export function fileChanged(file: string): DescribeChange<string> {
  return (before, after) => `${file} changed (sha256 ${shortSha(before)} -> ${shortSha(after)})`;
}

/** For a version: "Python 3.12.1 -> 3.13.5". */
export function versionChanged(what: string): DescribeChange<MetadataScalar> {
  return (before, after) => `${what} ${show(before)} -> ${show(after)}`;
}
