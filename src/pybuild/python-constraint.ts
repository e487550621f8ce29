// Does the chosen interpreter satisfy a lock's Python constraint? Two syntaxes reach the installers:
// PEP 440 specifiers (uv.lock's and pyproject.toml's requires-python: ">=3.11,<3.14", "==3.12.*",
// "~=3.12") and Poetry constraints (poetry.lock's [metadata] python-versions and
// [tool.poetry.dependencies] python: "^3.14", "~3.12", ">=3.10 <4.0", "3.11.* || 3.12.*").
// Poetry's syntax is a superset of PEP 440's for the release versions CPython has, so one parser
// serves both; every installer buildpack (uv, Poetry, Pipenv, conda) checks its lock with it.

/** One comparison against a release version; `prefix` is "==X.Y.*"-style matching. */
interface Comparison {
  op: "==" | "!=" | "<" | "<=" | ">" | ">=" | "prefix" | "not-prefix";
  release: number[];
}

/** Alternatives (||) of conjunctions (, or whitespace). An empty conjunction matches anything. */
export type Constraint = Comparison[][];

function compare(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

function bumped(release: readonly number[], index: number): number[] {
  return [...release.slice(0, index), (release[index] ?? 0) + 1];
}

const TERM = /^(\^|~=|~|===|==|!=|<=|>=|<|>|=)?v?(\d+(?:\.\d+)*)(\.\*)?$/;

/** One term, e.g. "^3.14" -> [>=3.14, <4]; undefined when it is not a release-version term. */
function parseTerm(term: string): Comparison[] | undefined {
  if (term === "*" || term === "") return [];
  const m = TERM.exec(term);
  if (!m?.[2]) return undefined;
  const op = m[1] ?? "";
  const release = m[2].split(".").map(Number);
  const wildcard = m[3] !== undefined;
  if (wildcard) {
    if (op === "" || op === "==" || op === "=") return [{ op: "prefix", release }];
    if (op === "!=") return [{ op: "not-prefix", release }];
    return undefined;
  }
  switch (op) {
    case "^": {
      // The first non-zero component may not change (^0.3 -> <0.4, ^3.14 -> <4).
      const first = release.findIndex((n) => n !== 0);
      const index = first < 0 ? Math.max(release.length - 1, 0) : first;
      return [
        { op: ">=", release },
        { op: "<", release: bumped(release, index) },
      ];
    }
    case "~":
      // ~3 -> <4, ~3.12 and ~3.12.1 -> <3.13.
      return [
        { op: ">=", release },
        { op: "<", release: bumped(release, release.length === 1 ? 0 : 1) },
      ];
    case "~=":
      if (release.length < 2) return undefined;
      return [
        { op: ">=", release },
        { op: "prefix", release: release.slice(0, -1) },
      ];
    case "":
    case "=":
    case "==":
    case "===":
      // A bare "3.12" in Poetry means that minor, whichever patch (as python_version == "3.12").
      return [release.length < 3 && op === "" ? { op: "prefix", release } : { op: "==", release }];
    default:
      return [{ op: op as Comparison["op"], release }];
  }
}

/** Parses a PEP 440 or Poetry constraint; undefined when any part is not one this module understands. */
export function parseConstraint(text: string): Constraint | undefined {
  const alternatives: Constraint = [];
  for (const alt of text.split(/\|\|?/)) {
    // ">= 3.10" -> ">=3.10"; then "," and whitespace both separate terms.
    const terms = alt
      .replace(/(\^|~=|~|===|==|!=|<=|>=|<|>|=)\s+/g, "$1")
      .split(/[\s,]+/)
      .filter(Boolean);
    const conj: Comparison[] = [];
    for (const term of terms) {
      const parsed = parseTerm(term);
      if (!parsed) return undefined;
      conj.push(...parsed);
    }
    alternatives.push(conj);
  }
  return alternatives;
}

function matches(version: readonly number[], c: Comparison): boolean {
  const cmp = compare(version, c.release);
  const prefix = c.release.every((n, i) => (version[i] ?? 0) === n);
  switch (c.op) {
    case "prefix":
      return prefix;
    case "not-prefix":
      return !prefix;
    case "==":
      return cmp === 0;
    case "!=":
      return cmp !== 0;
    case "<":
      return cmp < 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    case ">=":
      return cmp >= 0;
  }
}

/** "3.13.5" against a parsed constraint. */
export function satisfies(version: string, constraint: Constraint): boolean {
  const release = version.split(".").map((p) => Number.parseInt(p, 10));
  return constraint.some((conj) => conj.every((c) => matches(release, c)));
}

/**
 * Pure: the constraint check every installer makes before installing. "unknown" when the text is a
 * form this module does not parse (the tool then has the last word; never a false failure).
 */
export function checkPython(version: string, text: string): "ok" | "outside" | "unknown" {
  const constraint = parseConstraint(text.trim());
  if (!constraint) return "unknown";
  return satisfies(version, constraint) ? "ok" : "outside";
}

/** One declared constraint on the Python, where it is written. */
export interface PythonRequirement {
  file: string;
  line?: number;
  /** How the user finds it, e.g. "[tool.poetry.dependencies] python". */
  setting: string;
  text: string;
}

/** Pure: the requirements the interpreter's version does not satisfy (unparsable ones are skipped). */
export function unmetRequirements(
  version: string,
  requirements: readonly PythonRequirement[],
): PythonRequirement[] {
  return requirements.filter((r) => checkPython(version, r.text) === "outside");
}

/** "  pyproject.toml:12  [tool.poetry.dependencies] python = "^3.14"" lines for error messages. */
export function describeRequirements(requirements: readonly PythonRequirement[]): string {
  const where = requirements.map((r) => (r.line !== undefined ? `${r.file}:${r.line}` : r.file));
  const width = Math.max(...where.map((w) => w.length));
  return requirements
    .map((r, i) => `  ${(where[i] ?? "").padEnd(width)}  ${r.setting} = ${JSON.stringify(r.text)}`)
    .join("\n");
}
