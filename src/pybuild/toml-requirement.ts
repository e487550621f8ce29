// A Python constraint written in a TOML file (pyproject.toml, a TOML lock, the Pipfile), with the
// setting and line an error names.
import type { PythonRequirement } from "./python-constraint.js";
import { tomlKeyLine } from "./toml-lines.js";

/** Pure: `key` of `[table]` ("" for the top level) when its value is a string; else none. */
export function tomlRequirement(
  file: string,
  text: string,
  table: string,
  key: string,
  value: unknown,
): PythonRequirement[] {
  if (typeof value !== "string") return [];
  const line = tomlKeyLine(text, table, key);
  const setting = table ? `[${table}] ${key}` : key;
  return [{ file, setting, text: value, ...(line !== undefined ? { line } : {}) }];
}
