// A guard for app YAML files: the yaml parser recurses once per nested flow collection, and a few
// thousand levels ({"a":{"a":...) exhaust the native stack, which V8 reports as a fatal error that
// kills the buildpack with no message. Our YAML files are flat; anything this deep is refused first.
import { BuildpackError } from "./errors.js";

export const MAX_YAML_NESTING = 64;

/** Pure: the deepest nesting of [ and { (quotes not tracked: a guard, not a parser) and its 1-based line. */
export function flowNesting(text: string): { depth: number; line: number } {
  let depth = 0;
  let max = 0;
  let line = 1;
  let maxLine = 1;
  for (const ch of text) {
    if (ch === "\n") line++;
    else if (ch === "{" || ch === "[") {
      depth++;
      if (depth > max) {
        max = depth;
        maxLine = line;
      }
    } else if ((ch === "}" || ch === "]") && depth > 0) depth--;
  }
  return { depth: max, line: maxLine };
}

/** Throws a user error naming the file and line when `text` nests deeper than MAX_YAML_NESTING. */
export function refuseDeepNesting(text: string, file: string): void {
  const { depth, line } = flowNesting(text);
  if (depth <= MAX_YAML_NESTING) return;
  throw new BuildpackError({
    title: `${file} line ${line}: nested ${depth} levels deep`,
    body:
      `${file} opens ${depth} nested [ or { by line ${line}; it is read only up to ${MAX_YAML_NESTING} levels, as\n` +
      `its entries are flat.\n\nWhat to do: write ${file} as a plain list of entries (see the docs for its format).`,
    file,
    line,
  });
}
