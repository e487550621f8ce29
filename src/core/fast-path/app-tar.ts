// The app layer's tar exactly as the lifecycle's exporter writes it (lifecycle layers/slices.go
// with no slices, through Go's archive/tar in USTAR format): /workspace and everything under it,
// sorted by path, owned by the CNB user, mtime 1980-01-01T00:00:01Z, no user or group names.
// Byte-for-byte the same tar gives the same diffID, so a swapped image has the config a full build
// would have given. Anything Go would write in another format (long or non-ASCII names, huge files)
// is refused: the caller then builds in full.
import type { SourceTree, TreeEntry } from "./source-digest.js";

export const WORKSPACE = "/workspace";
/** archive.NormalizedModTime in the lifecycle. */
const MTIME = Date.UTC(1980, 0, 1, 0, 0, 1) / 1000;
const BLOCK = 512;
const NAME_SIZE = 100;
const PREFIX_SIZE = 155;

export interface TarOwner {
  uid: number;
  gid: number;
}

/** What a USTAR header says of an entry: its absolute name, kind, permission bits, size, link. */
export interface TarEntry {
  name: string;
  kind: TreeEntry["kind"];
  mode: number;
  size: number;
  linkTarget: string;
}

/** One entry of the app layer, as the exporter sorts them. */
interface LayerEntry extends TarEntry {
  /** App-relative path to read a file's bytes from. */
  rel: string;
}

/** Pure: the layer's entries in the exporter's order (byte order of the full path). */
export function layerEntries(tree: Pick<SourceTree, "rootMode" | "entries">): LayerEntry[] {
  const root: LayerEntry = {
    name: WORKSPACE,
    kind: "dir",
    mode: tree.rootMode,
    size: 0,
    linkTarget: "",
    rel: "",
  };
  const rest = tree.entries.map((e) => ({
    name: `${WORKSPACE}/${e.path}`,
    kind: e.kind,
    mode: e.mode,
    size: e.size,
    linkTarget: e.linkTarget,
    rel: e.path,
  }));
  return [root, ...rest].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Pure: why Go's tar writer would not use USTAR for this entry (undefined when it would). */
export function notUstar(e: TarEntry, owner: TarOwner): string | undefined {
  if (!isAscii(e.name) || !splitName(e.name)) return `path ${JSON.stringify(e.name)} needs a PAX header`;
  if (!isAscii(e.linkTarget) || e.linkTarget.length > NAME_SIZE)
    return `symlink target of ${e.name} needs a PAX header`;
  if (e.size >= 8 ** 11) return `${e.name} is 8 GiB or larger`;
  if (owner.uid >= 8 ** 7 || owner.gid >= 8 ** 7) return "the CNB user id needs a PAX header";
  return undefined;
}

/** Go's splitUSTARPath: [prefix, name] for the header, or undefined when the name does not fit. */
export function splitName(name: string): [string, string] | undefined {
  if (name.length <= NAME_SIZE) return ["", name];
  let length = name.length;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === "/") length--;
  const i = name.lastIndexOf("/", length - 1);
  const suffix = name.length - i - 1;
  if (i <= 0 || suffix > NAME_SIZE || suffix === 0 || i > PREFIX_SIZE) return undefined;
  return [name.slice(0, i), name.slice(i + 1)];
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Pure: one 512-byte USTAR header as Go's tar.Writer formats it. */
export function ustarHeader(e: TarEntry, owner: TarOwner): Buffer {
  const split = splitName(e.name);
  if (!split) throw new Error(`${e.name} does not fit a USTAR header`);
  const [prefix, name] = split;
  const b = Buffer.alloc(BLOCK);
  const str = (off: number, len: number, s: string) => {
    b.write(s.slice(0, len), off, "latin1");
  };
  // Go: zero-padded octal that leaves room for a NUL terminator.
  const oct = (off: number, len: number, n: number) => str(off, len, n.toString(8).padStart(len - 1, "0"));
  str(0, 100, name);
  oct(100, 8, e.mode);
  oct(108, 8, owner.uid);
  oct(116, 8, owner.gid);
  oct(124, 12, e.kind === "file" ? e.size : 0);
  oct(136, 12, MTIME);
  b[156] = { file: 0x30, dir: 0x35, symlink: 0x32 }[e.kind];
  str(157, 100, e.linkTarget);
  str(257, 6, "ustar\0");
  str(263, 2, "00");
  oct(329, 8, 0);
  oct(337, 8, 0);
  str(345, 155, prefix);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.fill(0, 148, 156);
  oct(148, 7, sum);
  b[155] = 0x20;
  return b;
}

/**
 * The whole layer tar: headers, file bytes padded to 512, two zero blocks (Go writes no further
 * record padding). `read` gives a file's bytes by app-relative path.
 */
export function appLayerTar(
  entries: readonly LayerEntry[],
  owner: TarOwner,
  read: (rel: string) => Buffer,
): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(ustarHeader(e, owner));
    if (e.kind !== "file") continue;
    const data = read(e.rel);
    if (data.length !== e.size) throw new Error(`${e.rel} changed while the app layer was written`);
    parts.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}
