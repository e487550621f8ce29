import { randomBytes } from "node:crypto";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { preExportCompression } from "../../../src/core/pre-export/contract.js";
import { testTempDir } from "../../../src/libcnb/testing.js";
import { chooseCompressor, filterThrough, igzipBlocks, onPath } from "../../../src/pre-export/compressor.js";

const input = Buffer.concat([randomBytes(200_000), Buffer.alloc(3_000_000, "layer bytes ")]);

async function run(compress: (tar: Readable) => Readable, data: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    compress(Readable.from([data.subarray(0, 1000), data.subarray(1000)])),
    new Writable({
      write(c: Buffer, _e, done) {
        out.push(c);
        done();
      },
    }),
  );
  return Buffer.concat(out);
}

describe("pre-export compression", () => {
  test("fast asks for igzip (zlib level 1 without it); small for zlib level 4", () => {
    expect(preExportCompression("fast")).toEqual({ level: 1, igzipLevel: 3 });
    expect(preExportCompression("small")).toEqual({ level: 4 });
  });

  test("igzip is used only when asked for and found on PATH", () => {
    const found = () => "/usr/bin/igzip";
    const missing = () => undefined;
    expect(chooseCompressor({ level: 1, igzipLevel: 3 }, found, 2).label).toBe("igzip level 3, 2 cores");
    expect(chooseCompressor({ level: 1, igzipLevel: 3 }, missing, 2).label).toBe("gzip level 1, 2 cores");
    expect(chooseCompressor({ level: 4 }, found, 4).label).toBe("gzip level 4, 4 cores");
  });

  test("onPath finds executables only, in PATH order", () => {
    const dir = testTempDir("on-path-");
    writeFileSync(join(dir, "plain"), "");
    writeFileSync(join(dir, "tool"), "#!/bin/sh\n");
    chmodSync(join(dir, "tool"), 0o755);
    expect(onPath("tool", `/nonexistent::${dir}`)).toBe(join(dir, "tool"));
    expect(onPath("plain", dir)).toBeUndefined();
    expect(onPath("tool", "")).toBeUndefined();
  });

  test("zlib blocks and process blocks both come out as one valid gzip stream", async () => {
    const zlib = chooseCompressor({ level: 4 }, () => undefined, 2);
    expect(gunzipSync(await run(zlib.compress, input)).equals(input)).toBe(true);
    // gzip(1) takes igzip's arguments (-c -n -LEVEL): the process path, block by block.
    const gzip = onPath("gzip");
    expect(gzip).toBeDefined();
    const viaProcess = chooseCompressor(
      { level: 1, igzipLevel: 3 },
      (name) => (name === "igzip" ? gzip : undefined),
      2,
    );
    expect(gunzipSync(await run(viaProcess.compress, input)).equals(input)).toBe(true);
    // -n: no name or time in the header, so the same layer compresses to the same blob.
    const once = await igzipBlocks(gzip as string, 3)(input);
    expect((await igzipBlocks(gzip as string, 3)(input)).equals(once)).toBe(true);
    expect(once.readUInt32LE(4)).toBe(0);
  });

  test("a filter that fails rejects with its exit status and stderr, never with partial output", async () => {
    await expect(filterThrough("sh", ["-c", "head -c 10; echo broken >&2; exit 3"], input)).rejects.toThrow(
      "sh exited with 3: broken",
    );
    await expect(filterThrough("/nonexistent/igzip", [], input)).rejects.toThrow(/ENOENT/);
    expect((await filterThrough("cat", [], input)).equals(input)).toBe(true);
  });
});

test("a tar that fails makes the compressed stream fail instead of stalling the upload", async () => {
  const broken = new Readable({
    read() {
      this.destroy(new Error("/layers/x/venv/lib.so shrank while its layer was written"));
    },
  });
  const zlib = chooseCompressor({ level: 1 }, () => undefined, 2);
  await expect(run(() => zlib.compress(broken), input)).rejects.toThrow(/shrank/);
});
