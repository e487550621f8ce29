// The build info the Go toolchain embeds in every binary it builds (what `go version -m` prints):
// the Go version, the main module and every dependency module with its go.sum hash. Builder create
// reads it from the lifecycle and launcher binaries to write their SBOMs.
//
// Format (Go >= 1.18; older binaries keep pointers into the data section instead, which a reader of
// raw bytes cannot follow, so they are treated as having no build info): a 16-byte aligned blob
// starting with the 14-byte magic "\xff Go buildinf:", then a pointer-size byte and a flags byte
// (bit 2: the strings follow inline), padded to 32 bytes; then two strings, each a uvarint length and
// its bytes: the Go version and the module info. The module info is framed by a 16-byte sentinel at
// each end and holds tab-separated lines: path, mod, dep, "=>" (replaces the module on the line
// before) and build settings.

export interface GoModule {
  path: string;
  /** "(devel)" for a main module built from a work tree. */
  version: string;
  /** The go.sum hash ("h1:..."); none for a main module or a local replacement. */
  sum?: string;
  /** The module go.mod required, when a replace directive linked this one instead. */
  replaces?: { path: string; version: string };
  /** The local directory a replace directive linked instead (path and version are then go.mod's). */
  localDir?: string;
}

export interface GoBuildInfo {
  /** e.g. go1.26.8 */
  goVersion: string;
  /** The main package's import path, e.g. github.com/buildpacks/lifecycle/cmd/launcher. */
  path: string;
  main?: GoModule;
  /** The modules linked in, replacements applied. */
  deps: GoModule[];
  /** build lines (GOOS, GOARCH, -ldflags, vcs.*), by key. */
  settings: Record<string, string>;
}

const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");
const HEADER_SIZE = 32;
const FLAGS_OFFSET = 15;
const FLAG_INLINE = 0x2;
const SENTINEL = 16;

/** Pure: the build info of the Go binary `bin`, or undefined when it has none this reader can read. */
export function readGoBuildInfo(bin: Buffer): GoBuildInfo | undefined {
  // The magic is aligned in the data section; a file offset usually keeps that alignment, but try
  // every occurrence rather than trust it, and take the first that decodes.
  for (let at = bin.indexOf(MAGIC); at >= 0; at = bin.indexOf(MAGIC, at + 1)) {
    const info = decodeAt(bin, at);
    if (info) return info;
  }
  return undefined;
}

function decodeAt(bin: Buffer, at: number): GoBuildInfo | undefined {
  if (at + HEADER_SIZE > bin.length) return undefined;
  const flags = bin[at + FLAGS_OFFSET] ?? 0;
  if ((flags & FLAG_INLINE) === 0) return undefined;
  const version = readString(bin, at + HEADER_SIZE);
  // "go1.26.8", or "devel go1.27-abc ..." from a toolchain built from source: printable text, else
  // the magic was a stray match.
  if (!version || !/^[\x21-\x7e][\x20-\x7e]*$/.test(version.text)) return undefined;
  const mod = readString(bin, version.end);
  if (!mod) return undefined;
  return { goVersion: version.text, ...parseModInfo(unframe(mod.text)) };
}

/** A uvarint-length-prefixed string at `offset`, or undefined when it runs past the buffer. */
function readString(bin: Buffer, offset: number): { text: string; end: number } | undefined {
  let length = 0;
  let shift = 0;
  let pos = offset;
  for (;;) {
    const byte = bin[pos++];
    if (byte === undefined || shift > 49) return undefined;
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) break;
  }
  if (pos + length > bin.length) return undefined;
  return { text: bin.toString("utf8", pos, pos + length), end: pos + length };
}

/** The module info between its sentinels; empty when it has none (a binary built outside a module). */
function unframe(mod: string): string {
  return mod.length >= 2 * SENTINEL + 1 && mod[mod.length - SENTINEL - 1] === "\n"
    ? mod.slice(SENTINEL, mod.length - SENTINEL)
    : "";
}

/** Pure: the lines of the module info; lines it does not know are skipped (newer toolchains). */
export function parseModInfo(text: string): Omit<GoBuildInfo, "goVersion"> {
  const out: Omit<GoBuildInfo, "goVersion"> = { path: "", deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of text.split("\n")) {
    const [kind, ...cols] = line.split("\t");
    if (kind === "path") out.path = cols.join("\t");
    else if ((kind === "mod" || kind === "dep") && cols[0] && cols[1] !== undefined) {
      last = { path: cols[0], version: cols[1], ...(cols[2] ? { sum: cols[2] } : {}) };
      if (kind === "mod") out.main = last;
      else out.deps.push(last);
    } else if (kind === "=>" && last && cols[0]) {
      replace(last, cols[0], cols[1] ?? "", cols[2]);
      last = undefined;
    } else if (kind === "build") {
      const setting = cols.join("\t");
      const eq = setting.indexOf("=");
      if (eq > 0) out.settings[setting.slice(0, eq)] = setting.slice(eq + 1);
    }
  }
  return out;
}

/**
 * Applies a replacement in place. A module version takes the original's place (it is what was
 * linked) and names what it replaced; a local directory keeps the original's name and version (all
 * there is to name it by) but not its sum, which describes code that was not linked.
 */
function replace(m: GoModule, path: string, version: string, sum: string | undefined): void {
  delete m.sum;
  if (!version) {
    m.localDir = path;
    return;
  }
  m.replaces = { path: m.path, version: m.version };
  m.path = path;
  m.version = version;
  if (sum) m.sum = sum;
}
