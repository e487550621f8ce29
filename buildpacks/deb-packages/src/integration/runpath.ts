// Libraries and programs can carry a RUNPATH compiled in as an absolute /usr directory (libpulse0's
// /usr/lib/<triplet>/pulseaudio for libpulsecommon): the loader looks there, not in the layer. The
// layer's copies of such directories go on LD_LIBRARY_PATH. Reads only the ELF headers it needs
// (64-bit little-endian: amd64 and arm64).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_STRTAB = 5n;
const DT_RPATH = 15n;
const DT_RUNPATH = 29n;

/** RPATH/RUNPATH entries of an ELF file; [] for anything else (scripts, data, 32-bit ELF). */
export function elfRunpaths(file: string): string[] {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return [];
  }
  try {
    if (!fstatSync(fd).isFile()) return [];
    const read = (offset: number, length: number) => {
      const buf = Buffer.alloc(length);
      const n = readSync(fd, buf, 0, length, offset);
      return buf.subarray(0, n);
    };
    const h = read(0, 64);
    // "\x7fELF", ELFCLASS64, ELFDATA2LSB
    if (h.length < 64 || h.readUInt32BE(0) !== 0x7f454c46 || h[4] !== 2 || h[5] !== 1) return [];
    const phoff = Number(h.readBigUInt64LE(0x20));
    const phentsize = h.readUInt16LE(0x36);
    const phnum = h.readUInt16LE(0x38);
    const ph = read(phoff, phentsize * phnum);
    const loads: { vaddr: bigint; offset: bigint; size: bigint }[] = [];
    let dynamic: { offset: number; size: number } | undefined;
    for (let i = 0; i + 1 <= phnum && (i + 1) * phentsize <= ph.length; i++) {
      const p = ph.subarray(i * phentsize);
      const type = p.readUInt32LE(0);
      const offset = p.readBigUInt64LE(8);
      const vaddr = p.readBigUInt64LE(16);
      const filesz = p.readBigUInt64LE(32);
      if (type === PT_LOAD) loads.push({ vaddr, offset, size: filesz });
      if (type === PT_DYNAMIC) dynamic = { offset: Number(offset), size: Number(filesz) };
    }
    if (!dynamic) return [];
    const dyn = read(dynamic.offset, dynamic.size);
    let strtab: bigint | undefined;
    const wanted: bigint[] = [];
    for (let o = 0; o + 16 <= dyn.length; o += 16) {
      const tag = dyn.readBigInt64LE(o);
      const val = dyn.readBigUInt64LE(o + 8);
      if (tag === 0n) break;
      if (tag === DT_STRTAB) strtab = val;
      if (tag === DT_RPATH || tag === DT_RUNPATH) wanted.push(val);
    }
    if (strtab === undefined || !wanted.length) return [];
    const seg = loads.find((l) => strtab !== undefined && l.vaddr <= strtab && strtab < l.vaddr + l.size);
    if (!seg) return [];
    const base = Number(strtab - seg.vaddr + seg.offset);
    return wanted.flatMap((v) => {
      const s = read(base + Number(v), 4096);
      const end = s.indexOf(0);
      return s
        .subarray(0, end < 0 ? s.length : end)
        .toString("utf8")
        .split(":")
        .filter(Boolean);
    });
  } finally {
    closeSync(fd);
  }
}
