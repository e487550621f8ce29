// How pre-export gzips a layer. ISA-L's igzip (Debian's isal, in ml-buildpacks' build images)
// deflates several times faster than zlib per core, at a ratio between zlib's levels 1 and 4.
// Either way the layer is cut into blocks compressed on every core (ParallelGzip): igzip as one
// process per block, zlib on libuv's thread pool where the builder has no igzip.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { availableParallelism } from "node:os";
import { delimiter, join } from "node:path";
import { pipeline, type Readable } from "node:stream";
import { type BlockGzip, GZIP_BLOCK, ParallelGzip, zlibBlocks } from "../core/parallel-gzip.js";
import type { CompressionChoice } from "../core/pre-export/contract.js";

export interface Compressor {
  /** For the log: "igzip level 3, 2 cores", "gzip level 4, 2 cores". */
  label: string;
  compress(tar: Readable): Readable;
}

/** A process per block: 16 MiB makes its start-up negligible and the lost dictionary too. */
const IGZIP_BLOCK = 2 * GZIP_BLOCK;

/** The first executable `name` on PATH, as a shell would find it. */
export function onPath(name: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Blocks in flight are held in memory (input and output): past 8 cores, more buys little. */
const MAX_CORES = 8;

export function chooseCompressor(
  choice: CompressionChoice,
  find = onPath,
  cores = Math.min(availableParallelism(), MAX_CORES),
): Compressor {
  const igzip = choice.igzipLevel === undefined ? undefined : find("igzip");
  const [label, blocks, blockSize] =
    igzip && choice.igzipLevel !== undefined
      ? [`igzip level ${choice.igzipLevel}`, igzipBlocks(igzip, choice.igzipLevel), IGZIP_BLOCK]
      : [`gzip level ${choice.level}`, zlibBlocks(choice.level), GZIP_BLOCK];
  return {
    label: `${label}, ${cores} cores`,
    compress: (tar) => {
      const gz = new ParallelGzip(blocks, cores + 1, blockSize);
      // Not tar.pipe(gz): a failing tar (a file that vanished) must fail the upload, not stall it.
      pipeline(tar, gz, () => {});
      return gz;
    },
  };
}

/** Each block through `igzip -c -n -LEVEL` (-n: no name or time in the header, so it is reproducible). */
export function igzipBlocks(igzip: string, level: number): BlockGzip {
  return (block) => filterThrough(igzip, ["-c", "-n", `-${level}`], block);
}

/** The stdout of `command` fed `input`; rejects unless it exits 0, so a truncated output is never used. */
export function filterThrough(command: string, args: readonly string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    // An early exit makes the write fail too; the exit status below says why.
    child.stdin.on("error", () => {});
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(out));
      const why = Buffer.concat(err).toString().trim();
      reject(new Error(`${command} exited with ${signal ?? code}${why ? `: ${why}` : ""}`));
    });
    child.stdin.end(input);
  });
}
