import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync } from "node:zlib";
import { expect, test } from "vitest";
import { ParallelGzip, zlibBlocks } from "../../../src/core/parallel-gzip.js";

async function compress(input: Buffer, chunk: number, blockSize: number): Promise<Buffer> {
  const out: Buffer[] = [];
  const pieces: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) pieces.push(input.subarray(i, i + chunk));
  await pipeline(
    Readable.from(pieces),
    new ParallelGzip(zlibBlocks(4), 3, blockSize),
    new Writable({
      write(c: Buffer, _e, done) {
        out.push(c);
        done();
      },
    }),
  );
  return Buffer.concat(out);
}

const input = Buffer.concat([
  randomBytes(300_000),
  Buffer.alloc(700_000, "tar bytes "),
  randomBytes(123_457),
]);

test("blocks compressed out of order come out in order: one gzip file, members concatenated", async () => {
  const gz = await compress(input, 65_536, 100_000);
  expect(gunzipSync(gz).equals(input)).toBe(true);
  // More than one member: each starts with the gzip magic.
  expect(gz.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), 10)).toBeGreaterThan(0);
  // What Docker's pull and the gunzip tool do with it.
  const gunzip = spawnSync("gunzip", ["-c"], { input: gz, maxBuffer: 16 * 1024 * 1024 });
  expect(gunzip.status).toBe(0);
  expect(gunzip.stdout.equals(input)).toBe(true);
});

test("an input smaller than a block, and an empty one, are still valid gzip", async () => {
  expect(
    gunzipSync(await compress(input.subarray(0, 1000), 100, 1 << 20)).equals(input.subarray(0, 1000)),
  ).toBe(true);
  expect(gunzipSync(await compress(Buffer.alloc(0), 100, 1 << 20)).length).toBe(0);
});
