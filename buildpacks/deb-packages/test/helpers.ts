import { join } from "node:path";
import type { BuildContext, Exec, Logger } from "#libcnb";
import { testBuildContext, testTempDir } from "#libcnb/testing";

export function tempDir(): string {
  return testTempDir("bp-deb-");
}

/** A BuildContext over temp app and layers dirs with the given app files. */
export function buildContext(
  files: Record<string, string>,
  exec?: Exec,
): BuildContext & { logger: Logger & { text(): string } } {
  return testBuildContext({
    buildpackDir: join(import.meta.dirname, ".."),
    files,
    exec,
    plan: [{ name: "deb-packages", metadata: {} }],
  });
}

/** The smallest ELF64 LE the reader needs: a header, PT_LOAD + PT_DYNAMIC, DT_STRTAB + DT_RUNPATH. */
export function elfWithRunpath(runpath: string): Buffer {
  const phoff = 64;
  const dynOff = phoff + 2 * 56;
  const strOff = dynOff + 3 * 16;
  const strtab = Buffer.from(`\0${runpath}\0`);
  const b = Buffer.alloc(strOff + strtab.length);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2;
  b[5] = 1;
  b.writeBigUInt64LE(BigInt(phoff), 0x20);
  b.writeUInt16LE(56, 0x36);
  b.writeUInt16LE(2, 0x38);
  const vaddr = 0x400000n;
  // PT_LOAD of the whole file at vaddr
  b.writeUInt32LE(1, phoff);
  b.writeBigUInt64LE(0n, phoff + 8);
  b.writeBigUInt64LE(vaddr, phoff + 16);
  b.writeBigUInt64LE(BigInt(b.length), phoff + 32);
  // PT_DYNAMIC
  b.writeUInt32LE(2, phoff + 56);
  b.writeBigUInt64LE(BigInt(dynOff), phoff + 56 + 8);
  b.writeBigUInt64LE(vaddr + BigInt(dynOff), phoff + 56 + 16);
  b.writeBigUInt64LE(48n, phoff + 56 + 32);
  b.writeBigInt64LE(5n, dynOff);
  b.writeBigUInt64LE(vaddr + BigInt(strOff), dynOff + 8);
  b.writeBigInt64LE(29n, dynOff + 16);
  b.writeBigUInt64LE(1n, dynOff + 24);
  strtab.copy(b, strOff);
  return b;
}
