import TOML from "@iarna/toml";
import { MlBuildpacksError } from "./errors.js";
import { messages } from "./messages.js";

/** Parses TOML; syntax errors name the file, line and column. */
export function parseTomlFile(text: string, file: string): Record<string, unknown> {
  try {
    return TOML.parse(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as Error & { line?: number; col?: number };
    const reason = e.message.split("\n")[0] ?? e.message;
    throw new MlBuildpacksError(
      messages.tomlSyntax(
        {
          file,
          line: e.line !== undefined ? e.line + 1 : undefined,
          column: e.col !== undefined ? e.col + 1 : undefined,
        },
        reason,
      ),
    );
  }
}

/**
 * 1-based line of the first line matching `pattern` (after `after`, itself 1-based), for errors
 * about values the parser accepted; undefined when not found.
 */
export function lineOf(
  text: string,
  pattern: RegExp | ((line: string) => boolean),
  after = 0,
): number | undefined {
  const matches = typeof pattern === "function" ? pattern : (line: string) => pattern.test(line);
  const lines = text.split("\n");
  for (let i = after; i < lines.length; i++) if (matches(lines[i] ?? "")) return i + 1;
  return undefined;
}

export function stringifyToml(value: Record<string, unknown>): string {
  return TOML.stringify(value as TOML.JsonMap);
}
