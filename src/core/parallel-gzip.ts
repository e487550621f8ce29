// gzip on every core for one stream: the input is cut into blocks, each compressed as its own gzip
// member (by zlib on libuv's thread pool, or by a process such as igzip), and the members are
// written in order. Concatenated members are one valid gzip file (RFC 1952 2.2) that Go's gzip
// reader (containerd, Docker) and gunzip read whole; each block starts a fresh dictionary, which
// costs about 0.1% at 8 MiB blocks.
import { Transform, type TransformCallback } from "node:stream";
import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

export const GZIP_BLOCK = 8 * 1024 * 1024;

/** Compresses one block into one complete gzip member. */
export type BlockGzip = (block: Buffer) => Promise<Buffer>;

export const zlibBlocks =
  (level: number): BlockGzip =>
  (block) =>
    gzipAsync(block, { level });

export class ParallelGzip extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Blocks being compressed, oldest first. */
  private readonly inFlight: Promise<Buffer>[] = [];

  constructor(
    private readonly compressBlock: BlockGzip,
    private readonly maxInFlight: number,
    private readonly blockSize = GZIP_BLOCK,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.blockSize) {
      done();
      return;
    }
    this.startBlock()
      .then(() => done())
      .catch(done);
  }

  override _flush(done: TransformCallback): void {
    const last = this.pendingBytes > 0 || this.inFlight.length === 0 ? this.startBlock() : Promise.resolve();
    last
      .then(async () => {
        while (this.inFlight.length) this.push(await this.inFlight.shift());
        done();
      })
      .catch(done);
  }

  /** Queues the pending bytes as a block; waits for the oldest block when too many are in flight. */
  private async startBlock(): Promise<void> {
    const block = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const compressed = this.compressBlock(block);
    // Awaited in order below; a failure surfaces there, not as an unhandled rejection meanwhile.
    compressed.catch(() => {});
    this.inFlight.push(compressed);
    while (this.inFlight.length >= this.maxInFlight) this.push(await this.inFlight.shift());
  }
}
