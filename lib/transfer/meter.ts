import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { Worker } from "node:worker_threads";

/**
 * md5 runs on a worker thread while sha256 runs here: the two digests are the most expensive
 * part of a transfer, and a second core takes half of it. (Evaluated source, so it works the
 * same under Next's bundler, tsx and plain node.)
 */
const MD5_WORKER = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const md5 = createHash("md5");
parentPort.on("message", (m) => {
  if (m === "digest") return parentPort.postMessage({ digest: md5.digest("hex") });
  md5.update(new Uint8Array(m.buffer, 0, m.length));
  // the batch goes back to be filled again
  parentPort.postMessage(m, [m.buffer]);
});`;

/**
 * At most this many bytes wait for the md5 thread. It hashes ~600 MiB/s, so 4 MiB is
 * over 6 ms of work queued: enough to keep it busy (imports measured as fast as with 8 MiB),
 * and the batches in flight (all of them reused) are the meter's memory.
 */
const MAX_IN_FLIGHT = 4 * 1024 * 1024;
/** chunks are batched into one message of about this size (sockets deliver ~64 KiB pieces) */
const BATCH = 1024 * 1024;

interface Batch {
  buffer: ArrayBuffer;
  length: number;
}

class Md5Thread {
  private readonly worker = new Worker(MD5_WORKER, { eval: true });
  private inFlight = 0;
  private waiting: (() => void) | null = null;
  private digestWaiter: ((hex: string) => void) | null = null;
  private failure: Error | null = null;
  /**
   * Batches the worker has hashed and sent back, to be filled again: a transfer allocates
   * at most MAX_IN_FLIGHT / BATCH + 1 of them, whatever its size (a new buffer per batch would
   * leave the freeing of hundreds of MiB to the garbage collector's pace).
   */
  private readonly free: ArrayBuffer[] = [];
  private batch: Uint8Array | null = null;
  private batched = 0;

  constructor() {
    this.worker.on("message", (m: Batch | { digest: string }) => {
      if ("buffer" in m) {
        this.inFlight -= m.length;
        this.free.push(m.buffer);
        if (this.waiting && this.inFlight <= MAX_IN_FLIGHT / 2) {
          const w = this.waiting;
          this.waiting = null;
          w();
        }
      } else this.digestWaiter?.(m.digest);
    });
    this.worker.on("error", (err) => (this.failure = err));
    // an idle hasher never keeps the process alive; waiting on it (below) does
    this.worker.unref();
  }

  /**
   * Copies the chunk into the current batch (the worker gets its own bytes; the stream keeps
   * the chunk) and sends full batches; resolves at once unless too much is queued.
   */
  update(chunk: Buffer): Promise<void> | null {
    if (this.failure) throw this.failure;
    let offset = 0;
    while (offset < chunk.length) {
      this.batch ??= new Uint8Array(this.free.pop() ?? new ArrayBuffer(BATCH));
      const n = Math.min(chunk.length - offset, BATCH - this.batched);
      this.batch.set(chunk.subarray(offset, offset + n), this.batched);
      this.batched += n;
      offset += n;
      if (this.batched === BATCH) this.send();
    }
    if (this.inFlight <= MAX_IN_FLIGHT) return null;
    this.worker.ref();
    return new Promise<void>((r) => (this.waiting = r)).then(() => void this.worker.unref());
  }

  private send(): void {
    if (!this.batch || this.batched === 0) return;
    const message: Batch = { buffer: this.batch.buffer as ArrayBuffer, length: this.batched };
    this.inFlight += this.batched;
    this.worker.postMessage(message, [message.buffer]);
    this.batch = null;
    this.batched = 0;
  }

  async digest(): Promise<string> {
    if (this.failure) throw this.failure;
    this.send();
    this.worker.ref();
    const hex = await new Promise<string>((r) => {
      this.digestWaiter = r;
      this.worker.postMessage("digest");
    });
    await this.worker.terminate();
    return hex;
  }

  close(): void {
    void this.worker.terminate();
  }
}

/**
 * A pass-through that hashes (md5 + sha256) and counts every byte on its way, and can
 * refuse to pass more than a limit (a datastore's free space).
 */
export class Meter extends Transform {
  bytes = 0;
  private readonly sha256: Hash | null;
  private readonly md5: Md5Thread | null;

  constructor(
    private readonly opts: {
      hash?: boolean;
      limit?: number;
      limitMessage?: string;
      onBytes?: (total: number) => void;
    } = {},
  ) {
    super({ highWaterMark: 1024 * 1024 });
    const hash = opts.hash !== false;
    this.sha256 = hash ? createHash("sha256") : null;
    this.md5 = hash ? new Md5Thread() : null;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.opts.limit !== undefined && this.bytes > this.opts.limit) {
      cb(new LimitExceededError(this.opts.limitMessage ?? `more than ${this.opts.limit} bytes`));
      return;
    }
    this.opts.onBytes?.(this.bytes);
    if (!this.sha256 || !this.md5) return cb(null, chunk);
    let wait: Promise<void> | null;
    try {
      wait = this.md5.update(chunk);
      this.sha256.update(chunk);
    } catch (err) {
      return cb(err as Error);
    }
    if (wait) wait.then(() => cb(null, chunk));
    else cb(null, chunk);
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    if (err) this.md5?.close(); // on success the digest is still to be read
    cb(err);
  }

  /** Stops the md5 thread when the digests will not be read (the transfer failed). */
  release(): void {
    this.md5?.close();
  }

  /** The digests of everything that passed; call once, after the stream finished. */
  async digests(): Promise<{ md5: string; sha256: string }> {
    if (!this.sha256 || !this.md5) throw new Error("this meter does not hash");
    return { md5: await this.md5.digest(), sha256: this.sha256.digest("hex") };
  }
}

export class LimitExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LimitExceededError";
  }
}
