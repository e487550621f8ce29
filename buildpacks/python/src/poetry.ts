// Poetry's version constraint syntax ([tool.poetry.dependencies] python) as PEP 440 clauses:
//   "^3.11"    -> >=3.11,<4.0        (caret: up to the next change of the first non-zero component)
//   "~3.11"    -> >=3.11,<3.12       "~3.11.2" -> >=3.11.2,<3.12     "~3" -> >=3,<4
//   "3.11" / "3.11.*" -> ==3.11.*    "3.11.4" -> ==3.11.4            "*" -> any
//   ">=3.10,<3.13" or ">=3.10 <3.13" (both AND), "^3.10 || ^3.12" (OR), and PEP 440 operators.
import { type Clause, parseSpecifiers } from "./specifiers.js";

const VERSION = /^(\d+(?:\.\d+){0,2})$/;

function bound(op: "<" | ">=", release: number[]): Clause {
  return { op, release, wildcard: false, text: `${op}${release.join(".")}` };
}

/** One AND-ed token of a Poetry constraint, or undefined when it isn't one. */
function tokenClauses(token: string): Clause[] | undefined {
  if (token === "*") return [];
  const caret = /^\^(\d+(?:\.\d+){0,2})$/.exec(token);
  if (caret?.[1]) {
    const release = caret[1].split(".").map(Number);
    // The first non-zero component is bumped ("^0.2" -> <0.3); all zeros bump the last given one.
    let i = release.findIndex((n) => n !== 0);
    if (i < 0) i = release.length - 1;
    const upper = [...release.slice(0, i), (release[i] ?? 0) + 1];
    return [bound(">=", release), bound("<", upper)];
  }
  const tilde = /^~(\d+(?:\.\d+){0,2})$/.exec(token);
  if (tilde?.[1]) {
    const release = tilde[1].split(".").map(Number);
    const upper = release.length === 1 ? [(release[0] ?? 0) + 1] : [release[0] ?? 0, (release[1] ?? 0) + 1];
    return [bound(">=", release), bound("<", upper)];
  }
  const bare = VERSION.exec(token.replace(/\.\*$/, ""));
  if (bare?.[1] && !/^[<>=!~]/.test(token)) {
    const release = bare[1].split(".").map(Number);
    const wildcard = release.length < 3 || token.endsWith(".*");
    return [{ op: "==", release, wildcard, text: wildcard ? `==${bare[1]}.*` : `==${bare[1]}` }];
  }
  return parseSpecifiers(token);
}

/** Alternatives (OR) of AND-ed clauses; undefined when the text is not a constraint Poetry accepts. */
export function poetryClauses(text: string): Clause[][] | undefined {
  const alternatives: Clause[][] = [];
  for (const alt of text.split(/\|\|?/)) {
    // ">= 3.10" -> ">=3.10", then "," and whitespace both separate AND-ed tokens.
    const tokens = alt
      .trim()
      .replace(/([<>=!~^]+)\s+/g, "$1")
      .split(/[\s,]+/)
      .filter(Boolean);
    if (tokens.length === 0) return undefined;
    const clauses: Clause[] = [];
    for (const token of tokens) {
      const c = tokenClauses(token);
      if (!c) return undefined;
      clauses.push(...c);
    }
    alternatives.push(clauses);
  }
  return alternatives;
}
