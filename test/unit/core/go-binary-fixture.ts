// Test helper: bytes laid out as a Go >= 1.18 binary embeds its build info (debug/buildinfo's
// format), inside filler as a real binary has it around, for the tests of builder/go-buildinfo.ts.

const MAGIC = "\xff Go buildinf:";
/** cmd/go frames the module info with 16 bytes at each end; the reader only needs the lengths. */
const FRAME_START = "0123456789abcdef";
const FRAME_END = "fedcba9876543210";

export function uvarint(n: number): Buffer {
  const out: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Buffer.from(out);
}

const lengthPrefixed = (s: string) => Buffer.concat([uvarint(Buffer.byteLength(s)), Buffer.from(s)]);

/** The 32-byte header: magic, pointer size 8, flags (2 = strings inline), zero padding. */
export function header(flags = 0x2): Buffer {
  const h = Buffer.alloc(32);
  h.write(MAGIC, 0, "latin1");
  h[14] = 8;
  h[15] = flags;
  return h;
}

/** The module info as cmd/go writes it: `lines` (no trailing newline needed) between the frames. */
export function modInfo(lines: string[]): string {
  return `${FRAME_START}${lines.map((l) => `${l}\n`).join("")}${FRAME_END}`;
}

/** A fake executable: `prefix` bytes of filler, the blob at a 16-byte aligned offset, more filler. */
export function goBinary(goVersion: string, lines: string[], prefix = 4096): Buffer {
  const aligned = Math.ceil(prefix / 16) * 16;
  return Buffer.concat([
    Buffer.alloc(aligned, 0x90),
    header(),
    lengthPrefixed(goVersion),
    lengthPrefixed(modInfo(lines)),
    Buffer.alloc(512, 0),
  ]);
}

/** The build info of a launcher as `go version -m` shows it, with a replaced and a local module. */
export const LAUNCHER_LINES = [
  "path\tgithub.com/buildpacks/lifecycle/cmd/launcher",
  "mod\tgithub.com/buildpacks/lifecycle\tv0.21.17\th1:edOH8bfQb143kfBbfuoDzYqzsHcPczdZ9Cp86jnvITE=",
  "dep\tgithub.com/BurntSushi/toml\tv1.6.0\th1:dRaEfpa2VI55EwlIW72hMRHdWouJeRF7TPYhI+AUQjk=",
  "dep\tgithub.com/heroku/color\tv0.0.6\th1:UTFFMrmMLFcL3OweqP1lAdp8i1y/9oHqkeHjQ/b/Ny0=",
  "dep\tgithub.com/example/old\tv1.0.0",
  "=>\tgithub.com/example/fork\tv1.0.1\th1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
  "dep\tgithub.com/example/patched\tv2.0.0\th1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=",
  "=>\t../patched\t\t",
  "dep\tgolang.org/x/sys/v2\tv2.0.0+incompatible\th1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=",
  "build\t-buildmode=exe",
  'build\t-ldflags="-X github.com/buildpacks/lifecycle/cmd.Version=0.21.17"',
  "build\tCGO_ENABLED=0",
  "build\tGOARCH=amd64",
  "build\tGOOS=linux",
];
