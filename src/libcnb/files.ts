// Read-only access to the app directory, behind an interface so detect logic can be tested
// against an in-memory tree (see testing.ts) as well as a temp dir.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { BuildpackError } from "./errors.js";

export interface AppFiles {
  /** Absolute path of the app dir. */
  readonly root: string;
  /** True if the path (relative to the app dir) exists and is a regular file. */
  isFile(rel: string): boolean;
  /** True if the path exists (file or directory). */
  exists(rel: string): boolean;
  /** UTF-8 text, or undefined when the file does not exist; a BuildpackError naming it when it isn't UTF-8. */
  readText(rel: string): string | undefined;
  readBytes(rel: string): Uint8Array | undefined;
  /** Names of the entries directly inside the app dir (or a subdir), sorted. */
  list(rel?: string): string[];
}

export function nodeAppFiles(root: string): AppFiles {
  const abs = (rel: string) => join(root, rel);
  return {
    root,
    isFile: (rel) => {
      try {
        return statSync(abs(rel)).isFile();
      } catch {
        return false;
      }
    },
    exists: (rel) => existsSync(abs(rel)),
    readText: (rel) => {
      try {
        return decodeUtf8(rel, readFileSync(abs(rel)));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    readBytes: (rel) => {
      try {
        return readFileSync(abs(rel));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    list: (rel = ".") => {
      try {
        return readdirSync(abs(rel)).sort();
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    },
  };
}

export function isNotFound(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR";
}

/**
 * Strict UTF-8 (a leading BOM dropped): undecodable bytes are the file's encoding problem, reported as
 * such, instead of U+FFFD characters that later read as an invalid value.
 */
export function decodeUtf8(rel: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // UTF-16 is what Windows PowerShell's `echo 3.12 > file` writes.
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const loose = new TextDecoder("utf-8").decode(bytes);
    const line = loose.slice(0, loose.indexOf("\uFFFD")).split("\n").length;
    throw new BuildpackError({
      title: `${rel} is not UTF-8 text`,
      body:
        `${rel} ${utf16 ? "is encoded as UTF-16 (a byte order mark FF FE / FE FF)" : `has bytes on line ${line} that are not valid UTF-8`}.\n` +
        "The buildpacks read it as UTF-8, like the tools that use it.\n\n" +
        `What to do: save ${rel} as UTF-8 (your editor's encoding setting, or iconv -f <encoding> -t UTF-8)${utf16 ? "; in PowerShell write it with Set-Content -Encoding utf8" : ""}.`,
      file: rel,
      ...(utf16 ? {} : { line }),
    });
  }
}
