// Read-only access to the app directory, behind an interface so detect logic can be tested
// against an in-memory tree (see testing.ts) as well as a temp dir.
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
} from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
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
  // Every path is checked before use: a link out of the app dir is refused, not followed.
  const abs = (rel: string) => {
    const path = join(root, rel);
    checkInsideApp(root, rel, path);
    return path;
  };
  return {
    root,
    isFile: (rel) => {
      const path = abs(rel);
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    exists: (rel) => existsSync(abs(rel)),
    readText: (rel) => {
      try {
        const path = abs(rel);
        checkTextSize(rel, statSync(path).size);
        return decodeUtf8(rel, readFileSync(path));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    readBytes: (rel) => {
      try {
        const path = abs(rel);
        checkTextSize(rel, statSync(path).size);
        return readFileSync(path);
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

/**
 * What the buildpacks read of an app are hand-written lists, manifests and locks (the largest, lock
 * files, are a few MiB); a file beyond this under such a name is something else, and reading it would
 * only exhaust memory.
 */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

function checkTextSize(rel: string, size: number): void {
  if (size <= MAX_TEXT_BYTES) return;
  throw new BuildpackError({
    title: `${rel} is too large to be read as text (${Math.round(size / 1024 / 1024)} MiB)`,
    body:
      `${rel} holds ${size} bytes; the buildpacks read it as a text file, up to ${MAX_TEXT_BYTES / 1024 / 1024} MiB. A file\n` +
      "this size under that name is usually a data or model file saved with the wrong name.\n\n" +
      `What to do: rename or move the large file, and keep ${rel} to what its tool expects.`,
    file: rel,
  });
}

/**
 * Refuses an app path that is (or lies under) a symlink pointing outside the app dir, dangling or
 * not: only the app dir is sent to the build, so such a link reads some other file of the build
 * image (requirements.txt -> /etc/passwd) or nothing at all (Aptfile -> ../../x).
 */
function checkInsideApp(root: string, rel: string, path: string): void {
  let target: string;
  try {
    if (!lstatSync(path).isSymbolicLink()) target = realpathSync(path);
    else {
      try {
        target = realpathSync(path);
      } catch {
        target = resolve(dirname(path), readlinkSync(path)); // dangling: where it points
      }
    }
  } catch {
    return; // not there: the caller reports a missing file as it always has
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return;
  }
  const inside = relative(realRoot, target);
  if (inside !== ".." && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)) return;
  throw new BuildpackError({
    title: `${rel} is a symlink to ${target}, outside the app`,
    body:
      `${rel} (or a folder above it) links to ${target}. Only the app directory is sent to the build, so\n` +
      "the buildpacks do not follow links that leave it.\n\n" +
      `What to do: commit the file itself as ${rel} (e.g. cp --remove-destination <target> ${rel}), or point\n` +
      "the link at a file inside the app directory.",
    file: rel,
  });
}
