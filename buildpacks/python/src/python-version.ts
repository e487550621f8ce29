// .python-version: which Python the app asks for, and whether the stack's Python satisfies it.
import type { AppFiles } from "../../../src/libcnb/index.js";
import * as errors from "./errors.js";

export const VERSION_FILE = ".python-version";

export interface VersionRequest {
  /** As written, e.g. "3.12" or "3.12.4". */
  text: string;
  /** Numeric components, 1 to 3 of them. */
  parts: number[];
  file: string;
  /** 1-based line of the version in the file. */
  line: number;
}

/**
 * Reads .python-version the way pyenv writes it: one version per line; blank lines and "#" comments
 * are ignored. Accepts "3", "3.12" and "3.12.4"; "system" means "whatever the stack has" (no request).
 * Returns undefined when there is no file or it says "system".
 */
export function readVersionRequest(app: AppFiles): VersionRequest | undefined {
  const text = app.readText(VERSION_FILE);
  return text === undefined ? undefined : parseVersionFile(text);
}

export function parseVersionFile(text: string, file = VERSION_FILE): VersionRequest | undefined {
  const entries: { value: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.replace(/#.*$/, "").trim();
    if (value) entries.push({ value, line: i + 1 });
  });
  const first = entries[0];
  if (!first) throw errors.emptyVersionFile(file);
  if (entries.length > 1) throw errors.multipleVersions(file, entries);
  if (first.value === "system") return undefined;
  const m = /^(\d+(?:\.\d+){0,2})$/.exec(first.value);
  if (!m?.[1]) throw errors.invalidVersion(file, first.line, first.value);
  return { text: m[1], parts: m[1].split(".").map(Number), file, line: first.line };
}

/** "3.12" is satisfied by 3.12.x, "3.12.4" only by 3.12.4, "3" by any 3.x.y. */
export function satisfies(available: string, request: VersionRequest): boolean {
  const have = available.split(".").map(Number);
  return request.parts.every((p, i) => have[i] === p);
}

/** "3.13" from "3.13.5". */
export function minorOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}
