// A buildpack layer's tar exactly as the lifecycle's exporter writes it (layers.Factory.DirLayer):
// the parent directories (/layers, /layers/<buildpack>) with their own owner, then filepath.Walk of
// the layer directory (each directory's children sorted by name and visited in place, unlike the app
// layer's whole-path order) owned by the CNB user; Go's USTAR headers, mtime 1980-01-01T00:00:01Z.
// The same bytes give the same diffID, which is what lets the exporter reuse a blob pushed here. An
// entry Go would write another way (PAX names, devices, fifos) makes the layer unsupported: the
// exporter then adds it itself.
import {
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  type Stats,
  statSync,
} from "node:fs";
import { dirname } from "node:path";
import { notUstar, type TarEntry, type TarOwner, ustarHeader } from "../core/fast-path/app-tar.js";

const BLOCK = 512;
const CHUNK = 1024 * 1024;

export interface LayerTarEntry extends TarEntry {
  owner: TarOwner;
}

/** The entries in the exporter's order and the file bytes they hold, or why Go would write them otherwise. */
export function layerTarEntries(
  dir: string,
  cnb: TarOwner,
): { entries: LayerTarEntry[]; bytes: number } | { reason: string } {
  const entries: LayerTarEntry[] = [];
  let bytes = 0;
  const parents: string[] = [];
  for (let p = dirname(dir); p !== "/" && p !== "."; p = dirname(p)) parents.unshift(p);
  for (const p of parents) {
    const st = statSync(p);
    entries.push(entryOf(p, st, "dir", "", { uid: st.uid, gid: st.gid }));
  }
  const walk = (path: string): string | undefined => {
    const st = lstatSync(path);
    if (st.isSocket()) return undefined; // the lifecycle leaves sockets out
    const kind = st.isFile()
      ? "file"
      : st.isDirectory()
        ? "dir"
        : st.isSymbolicLink()
          ? "symlink"
          : undefined;
    if (!kind) return `${path} is neither a file, a directory nor a symlink`;
    const entry = entryOf(path, st, kind, kind === "symlink" ? readlinkSync(path) : "", cnb);
    const why = notUstar(entry, entry.owner);
    if (why) return why;
    entries.push(entry);
    bytes += entry.size;
    if (kind !== "dir") return undefined;
    // Go's sort.Strings: byte order (names are ASCII here: anything else needs PAX and stopped above).
    for (const name of readdirSync(path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const inner = walk(`${path}/${name}`);
      if (inner) return inner;
    }
    return undefined;
  };
  const why = walk(dir);
  return why ? { reason: why } : { entries, bytes };
}

function entryOf(
  name: string,
  st: Stats,
  kind: TarEntry["kind"],
  linkTarget: string,
  owner: TarOwner,
): LayerTarEntry {
  // Go's FileInfoHeader: permission bits plus setuid, setgid and sticky.
  return { name, kind, mode: st.mode & 0o7777, size: kind === "file" ? st.size : 0, linkTarget, owner };
}

/** The tar's bytes, in pieces of at most 1 MiB (file contents read as they are needed). */
export function* layerTarChunks(entries: readonly LayerTarEntry[]): Generator<Buffer> {
  for (const e of entries) {
    yield ustarHeader(e, e.owner);
    if (e.kind !== "file") continue;
    const fd = openSync(e.name, "r");
    try {
      let left = e.size;
      while (left > 0) {
        const buf = Buffer.allocUnsafe(Math.min(CHUNK, left));
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) throw new Error(`${e.name} shrank while its layer was written`);
        left -= n;
        yield n === buf.length ? buf : buf.subarray(0, n);
      }
    } finally {
      closeSync(fd);
    }
    const pad = (BLOCK - (e.size % BLOCK)) % BLOCK;
    if (pad) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(2 * BLOCK);
}
