// Reads the entries of an uncompressed tar (ustar, with the PAX and GNU long-name extensions Go's
// archive/tar writes, as the lifecycle's layers have). Pure; only what the SBOM layer needs:
// regular files and directories, by name.

export interface TarEntry {
  name: string;
  type: "file" | "dir" | "other";
  data: Buffer;
}

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString("utf8");
}

function octal(header: Buffer, start: number, length: number): number {
  const text = field(header, start, length).trim();
  const n = text === "" ? 0 : Number.parseInt(text, 8);
  if (!Number.isFinite(n) || n < 0) throw new Error(`tar: bad number field "${text}"`);
  return n;
}

/** PAX extended header records ("<len> key=value\n"). */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const len = Number.parseInt(data.subarray(at, space).toString("ascii"), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(space + 1, at + len - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += len;
  }
  return out;
}

export function readTar(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  let longName: string | undefined;
  while (at < tar.length) {
    if (at + BLOCK > tar.length) throw new Error("tar: truncated header");
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const flag = String.fromCharCode(header[156] ?? 0x30);
    const dataStart = at + BLOCK;
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (at > tar.length) throw new Error("tar: truncated entry");
    const data = tar.subarray(dataStart, dataStart + size);
    if (flag === "x") {
      longName = paxRecords(data).get("path") ?? longName;
      continue;
    }
    if (flag === "L") {
      longName = field(data, 0, data.length);
      continue;
    }
    if (flag === "g") continue;
    const prefix = field(header, 345, 155);
    const short = field(header, 0, 100);
    const name = longName ?? (prefix ? `${prefix}/${short}` : short);
    longName = undefined;
    const type = flag === "0" || flag === "\0" || flag === "7" ? "file" : flag === "5" ? "dir" : "other";
    entries.push({ name, type, data: Buffer.from(data) });
  }
  return entries;
}
