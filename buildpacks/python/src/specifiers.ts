// PEP 440 version specifiers, for the release versions CPython has ("3.12", "3.12.4"): the operators
// ==, !=, <, <=, >, >=, ~= and ===, with "==3.12.*" / "!=3.12.*" prefix matching. Pre-, post- and
// dev-releases are not CPython builds this buildpack installs, so they are rejected as invalid.

export type Operator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "~=" | "===";

export interface Clause {
  op: Operator;
  /** Release components, e.g. [3, 12] for "3.12". */
  release: number[];
  /** "==3.12.*" / "!=3.12.*" */
  wildcard: boolean;
  /** As written, for "===" and messages. */
  text: string;
}

const CLAUSE = /^(===|==|!=|<=|>=|~=|<|>)\s*v?(\d+(?:\.\d+)*)(\.\*)?$/;

/** Parses "a,b,c"; returns undefined when any clause is not a release-version specifier. */
export function parseSpecifiers(text: string): Clause[] | undefined {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const clauses: Clause[] = [];
  for (const part of parts) {
    const m = CLAUSE.exec(part);
    if (!m?.[1] || !m[2]) return undefined;
    const op = m[1] as Operator;
    const wildcard = m[3] !== undefined;
    if (wildcard && op !== "==" && op !== "!=") return undefined;
    const release = m[2].split(".").map(Number);
    if (op === "~=" && release.length < 2) return undefined;
    clauses.push({ op, release, wildcard, text: part });
  }
  return clauses;
}

export function parseVersion(version: string): number[] {
  return version.split(".").map(Number);
}

/** Compares release tuples, padding the shorter one with zeros (3.12 == 3.12.0). */
export function compareReleases(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

function prefixMatches(version: readonly number[], prefix: readonly number[]): boolean {
  return prefix.every((p, i) => (version[i] ?? 0) === p);
}

export function clauseMatches(version: string, c: Clause): boolean {
  const v = parseVersion(version);
  const cmp = compareReleases(v, c.release);
  switch (c.op) {
    case "==":
      return c.wildcard ? prefixMatches(v, c.release) : cmp === 0;
    case "!=":
      return c.wildcard ? !prefixMatches(v, c.release) : cmp !== 0;
    case "<":
      return cmp < 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    case ">=":
      return cmp >= 0;
    case "~=":
      return cmp >= 0 && prefixMatches(v, c.release.slice(0, -1));
    case "===":
      return version === c.text.slice(3).trim();
  }
}

export function specifiersMatch(version: string, clauses: readonly Clause[]): boolean {
  return clauses.every((c) => clauseMatches(version, c));
}
