import { createHash, type Hash } from "node:crypto";
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { MlBuildpacksError } from "../errors.js";

/** Files and folders of the source tree, in the order the digest reads them. */
export interface TreeEntry {
  /** Path relative to the app dir, "/"-separated. */
  path: string;
  kind: "file" | "dir" | "symlink";
  executable: boolean;
  /** sha256 of a file's bytes or a symlink's target; "" for folders. */
  content: string;
  /** Permission bits with setuid, setgid and sticky (st_mode & 07777). */
  mode: number;
  /** Bytes of a file (0 for folders and symlinks). */
  size: number;
  /** A symlink's target ("" otherwise). */
  linkTarget: string;
}

/** The source tree the digest covers, listed once for the digest and the app layer. */
export interface SourceTree {
  root: string;
  /** The app dir's own permission bits (the /workspace entry of the app layer). */
  rootMode: number;
  entries: TreeEntry[];
}

/**
 * sha256 of the source tree: every entry's path, kind, executable bit and content. Ownership and
 * times are left out because the lifecycle normalises them in the app layer.
 */
export function digestOfTree(tree: SourceTree): { digest: string; files: number } {
  const { entries } = tree;
  return { digest: digestOfEntries(entries), files: entries.filter((e) => e.kind === "file").length };
}

export function listSourceTree(appDir: string, skip: readonly string[]): SourceTree {
  const root = resolve(appDir);
  return {
    root,
    rootMode: lstatSync(root).mode & 0o7777,
    entries: listTree(root, new Set(skip.map((p) => resolve(p)))),
  };
}

/** Pure: the digest of a listing (sorted by the caller). */
export function digestOfEntries(entries: readonly TreeEntry[]): string {
  const hash = createHash("sha256");
  for (const e of entries) hash.update(`${e.kind}\0${e.path}\0${e.executable ? "x" : "-"}\0${e.content}\n`);
  return `sha256:${hash.digest("hex")}`;
}

function listTree(root: string, skip: ReadonlySet<string>): TreeEntry[] {
  const out: TreeEntry[] = [];
  const walk = (dir: string) => {
    for (const name of utf8Names(dir).sort()) {
      const path = join(dir, name);
      if (skip.has(path)) continue;
      const stat = lstatSync(path);
      const rel = relative(root, path).split(sep).join("/");
      const executable = (stat.mode & 0o111) !== 0;
      const mode = stat.mode & 0o7777;
      if (stat.isSymbolicLink()) {
        const target = readlinkSync(path);
        const link = { kind: "symlink", executable: false, content: target, linkTarget: target } as const;
        out.push({ path: rel, ...link, mode, size: 0 });
      } else if (stat.isDirectory()) {
        out.push({ path: rel, kind: "dir", executable: false, content: "", mode, size: 0, linkTarget: "" });
        walk(path);
      } else if (stat.isFile()) {
        const content = fileSha256(path);
        out.push({ path: rel, kind: "file", executable, content, mode, size: stat.size, linkTarget: "" });
      }
    }
  };
  walk(root);
  return out;
}

/**
 * The names in `dir`; a name that is not UTF-8 is refused: Node would hand it over with U+FFFD in
 * place of its bytes (a path that does not exist), and image layers, logs and Python tools all
 * expect UTF-8 names.
 */
function utf8Names(dir: string): string[] {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return readdirSync(dir, { encoding: "buffer" }).map((raw) => {
    try {
      return decoder.decode(raw);
    } catch {
      const shown = [...raw]
        .map((b) =>
          b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`,
        )
        .join("");
      throw new MlBuildpacksError({
        title: `the app has a file whose name is not UTF-8: ${shown}`,
        location: { file: join(dir, shown) },
        detail: "Image layers, build logs and Python's tools expect UTF-8 file names.",
        hint: `rename it with a UTF-8 name (e.g. convmv -f latin1 -t utf8 --notest -r ${dir}), or delete it`,
      });
    }
  });
}

/** Reads in chunks: model files in an app can be larger than a Node buffer may be. */
export function fileSha256(path: string): string {
  const hash: Hash = createHash("sha256");
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, "r");
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
