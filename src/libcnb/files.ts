// Read-only access to the app directory, behind an interface so detect logic can be tested
// against an in-memory tree (see testing.ts) as well as a temp dir.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface AppFiles {
  /** Absolute path of the app dir. */
  readonly root: string;
  /** True if the path (relative to the app dir) exists and is a regular file. */
  isFile(rel: string): boolean;
  /** True if the path exists (file or directory). */
  exists(rel: string): boolean;
  /** UTF-8 text, or undefined when the file does not exist. */
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
        return readFileSync(abs(rel), "utf8");
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
