// .python-version: which Python the app asks for (pyenv's format).
import * as errors from "./errors.js";

export const VERSION_FILE = ".python-version";

export interface VersionRequest {
  /** As written, e.g. "3.12" or "3.12.4". */
  text: string;
  file: string;
  /** 1-based line of the version in the file. */
  line: number;
}

/**
 * Parses .python-version the way pyenv writes it: one version per line; blank lines and "#" comments
 * are ignored. Accepts "3", "3.12" and "3.12.4"; returns undefined for "system" (the stack's Python).
 */
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
  return { text: m[1], file, line: first.line };
}
