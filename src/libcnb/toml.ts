// Thin typed wrapper around @iarna/toml: everything libcnb reads or writes goes through here.
import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "@iarna/toml";

export type TomlValue = string | number | boolean | Date | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

/** Parses TOML text; throws a TomlSyntaxError carrying the 1-based line when the parser reports one. */
export function parseToml(text: string, source = "TOML"): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (err) {
    const e = err as { message?: string; line?: number };
    const line = typeof e.line === "number" ? e.line + 1 : undefined;
    const first = String(e.message ?? err).split("\n")[0] ?? "";
    throw new TomlSyntaxError(`${source}: ${first}`, line);
  }
}

export class TomlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = "TomlSyntaxError";
  }
}

/** Serialises a table; keys whose value is undefined or null are dropped (TOML has no null). */
export function stringifyToml(table: Record<string, unknown>): string {
  return stringify(dropNullish(table) as Parameters<typeof stringify>[0]);
}

export function readTomlFile(path: string): TomlTable {
  return parseToml(readFileSync(path, "utf8"), path);
}

export function writeTomlFile(path: string, table: Record<string, unknown>): void {
  writeFileSync(path, stringifyToml(table));
}

function dropNullish(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null).map(dropNullish);
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    out[k] = dropNullish(v);
  }
  return out;
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
