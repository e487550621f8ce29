// Python version constraints, for the release versions CPython has ("3.12", "3.12.4"). Two syntaxes:
// PEP 440 specifiers (pyproject.toml's requires-python, uv.lock: ">=3.11,<3.14", "==3.12.*", "~=3.12")
// and Poetry constraints ([tool.poetry.dependencies] python, poetry.lock's python-versions):
//   "^3.11"  -> >=3.11,<4.0   (caret: up to the next change of the first non-zero component)
//   "~3.11"  -> >=3.11,<3.12  "~3.11.2" -> >=3.11.2,<3.12   "~3" -> >=3,<4
//   "3.11" / "3.11.*" -> ==3.11.*  "3.11.4" -> ==3.11.4  "=3.11.4" -> ==3.11.4  "*" -> any
//   ">=3.10,<3.13" or ">=3.10 <3.13" (both AND), "^3.10 || ^3.12" (OR), and PEP 440's operators.
// Poetry's syntax is a superset of PEP 440's for these versions, so the installers (uv, Poetry,
// Pipenv, conda) check every lock with parseConstraint; ml-buildpacks/python holds requires-python
// to strict PEP 440 (parseSpecifiers). Pre-, post- and dev-releases are no CPython builds anyone
// installs here: such a constraint does not parse.

export type Operator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "~=" | "===";

export interface Clause {
  op: Operator;
  /** Release components, e.g. [3, 12] for "3.12". */
  release: number[];
  /** "==3.12.*" / "!=3.12.*": a prefix match. */
  wildcard: boolean;
  /** In PEP 440 form, e.g. ">=3.11", "==3.12.*". */
  text: string;
}

/** Alternatives (Poetry's "||") of AND-ed clauses; an empty alternative matches any version. */
export type Constraint = Clause[][];

function clause(op: Operator, release: number[], wildcard = false): Clause {
  return { op, release, wildcard, text: `${op}${release.join(".")}${wildcard ? ".*" : ""}` };
}

function releaseOf(digits: string): number[] {
  return digits.split(".").map(Number);
}

const PEP440_CLAUSE = /^(===|==|!=|<=|>=|~=|<|>)\s*v?(\d+(?:\.\d+)*)(\.\*)?$/;

/** One PEP 440 clause (">= 3.11", "==3.12.*"), or undefined. */
function pep440Clause(text: string): Clause | undefined {
  const m = PEP440_CLAUSE.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  const op = m[1] as Operator;
  const release = releaseOf(m[2]);
  const wildcard = m[3] !== undefined;
  if (wildcard && op !== "==" && op !== "!=") return undefined;
  if (op === "~=" && release.length < 2) return undefined;
  return clause(op, release, wildcard);
}

/** Parses PEP 440's "a,b,c"; undefined when any clause is not a release-version specifier. */
export function parseSpecifiers(text: string): Clause[] | undefined {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  return parseAll(parts, (part) => {
    const c = pep440Clause(part);
    return c && [c];
  });
}

/** The clauses of every part; undefined as soon as one part does not parse. */
function parseAll(
  parts: readonly string[],
  parse: (part: string) => Clause[] | undefined,
): Clause[] | undefined {
  const clauses: Clause[] = [];
  for (const part of parts) {
    const c = parse(part);
    if (!c) return undefined;
    clauses.push(...c);
  }
  return clauses;
}

function bumped(release: readonly number[], index: number): number[] {
  return [...release.slice(0, index), (release[index] ?? 0) + 1];
}

/** Poetry's own forms: ^, ~ (not ~=), a single =, or a bare version. */
const POETRY_TERM = /^(\^|~(?!=)|=(?!=))?v?(\d+(?:\.\d+)*)(\.\*)?$/;

/** One AND-ed term of a Poetry constraint, or undefined when it isn't one. */
function poetryTerm(term: string): Clause[] | undefined {
  if (term === "*") return [];
  const m = POETRY_TERM.exec(term);
  if (!m?.[2]) {
    const c = pep440Clause(term);
    return c && [c];
  }
  const op = m[1] ?? "";
  const release = releaseOf(m[2]);
  const wildcard = m[3] !== undefined;
  if (op === "^" || op === "~") {
    if (wildcard) return undefined;
    // Caret: the first non-zero component may not change (^0.3 -> <0.4, ^3.14 -> <4); all zeros
    // bump the last one given. Tilde: ~3 -> <4, ~3.12 and ~3.12.1 -> <3.13.
    const first = release.findIndex((n) => n !== 0);
    const index =
      op === "~" ? (release.length === 1 ? 0 : 1) : first < 0 ? Math.max(release.length - 1, 0) : first;
    return [clause(">=", release), clause("<", bumped(release, index))];
  }
  // A bare "3.12" means that minor, whichever patch (as python_version == "3.12"); "=" is exact.
  return [clause("==", release, wildcard || (op === "" && release.length < 3))];
}

/** Parses a Poetry constraint or PEP 440 specifiers; undefined when it is neither. */
export function parseConstraint(text: string): Constraint | undefined {
  const alternatives: Constraint = [];
  for (const alt of text.split(/\|\|?/)) {
    // ">= 3.10" -> ">=3.10", then "," and whitespace both separate AND-ed terms.
    const terms = alt
      .trim()
      .replace(/([<>=!~^]+)\s+/g, "$1")
      .split(/[\s,]+/)
      .filter(Boolean);
    const clauses = terms.length ? parseAll(terms, poetryTerm) : undefined;
    if (!clauses) return undefined;
    alternatives.push(clauses);
  }
  return alternatives;
}

/** "3.13.5" -> [3, 13, 5] (a suffix such as "rc1" is dropped). */
export function parseVersion(version: string): number[] {
  return version.split(".").map((p) => Number.parseInt(p, 10));
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
      // Arbitrary equality compares the strings.
      return version === c.release.join(".");
  }
}

/** Every clause holds. */
export function specifiersMatch(version: string, clauses: readonly Clause[]): boolean {
  return clauses.every((c) => clauseMatches(version, c));
}

/** "3.13.5" against a parsed constraint: some alternative holds. */
export function satisfies(version: string, constraint: Constraint): boolean {
  return constraint.some((clauses) => specifiersMatch(version, clauses));
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
