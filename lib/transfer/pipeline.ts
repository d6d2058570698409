import { addAbortSignal, Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDecompressor, sniffCompression, type Compression } from "./compression";
import { Meter } from "./meter";

export interface TransferResult {
  /** bytes read from the source (compressed size when compressed) */
  sourceBytes: number;
  source: { md5: string; sha256: string };
  /** bytes written to the sink */
  bytes: number;
  md5: string;
  sha256: string;
  compression: Compression;
}

/**
 * The one streaming pipeline: source → (decompress) → md5+sha256 → sink. Memory stays flat
 * whatever the size: streams with backpressure, nothing buffered beyond a few chunks.
 * Progress is reported from the bytes that actually left the source.
 */
export async function runTransfer(opts: {
  source: Readable;
  sink: Writable;
  signal?: AbortSignal;
  decompress?: boolean;
  /** refuse to write more than this many bytes (free space) */
  limit?: number;
  limitMessage?: string;
  onSourceBytes?: (bytes: number) => void;
}): Promise<TransferResult> {
  if (opts.signal) addAbortSignal(opts.signal, opts.source); // also while peeking
  const { head, stream } = await peek(opts.source, 6);
  const compression = opts.decompress === false ? "none" : sniffCompression(head);
  const sourceMeter = new Meter({
    onBytes: opts.onSourceBytes,
    ...(compression === "none" ? { limit: opts.limit, limitMessage: opts.limitMessage } : {}),
  });
  const outMeter = compression === "none" ? null : new Meter({ limit: opts.limit, limitMessage: opts.limitMessage });
  try {
    if (!outMeter) {
      await pipeline([stream, sourceMeter, opts.sink], { signal: opts.signal });
      const d = await sourceMeter.digests();
      return { sourceBytes: sourceMeter.bytes, source: d, bytes: sourceMeter.bytes, ...d, compression };
    }
    await pipeline(
      [stream, sourceMeter, createDecompressor(compression as Exclude<Compression, "none">), outMeter, opts.sink],
      { signal: opts.signal },
    );
    return {
      sourceBytes: sourceMeter.bytes,
      source: await sourceMeter.digests(),
      bytes: outMeter.bytes,
      ...(await outMeter.digests()),
      compression,
    };
  } catch (err) {
    // a meter that finished before a later stage failed still holds its md5 thread
    sourceMeter.release();
    outMeter?.release();
    throw err;
  }
}

/**
 * Reads the first `n` bytes and gives back a stream that still starts at byte 0. Destroying
 * that stream destroys the source at once, even while a read from it is pending (a stalled
 * server), so nothing is left holding a connection or a file.
 */
async function peek(source: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const it = source[Symbol.asyncIterator]();
  let buffered: Buffer[] = [];
  let size = 0;
  while (size < n) {
    const { value, done } = await it.next();
    if (done) break;
    const chunk = Buffer.isBuffer(value) ? value : Buffer.from(value);
    buffered.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(buffered).subarray(0, n);
  const stream = new Readable({
    highWaterMark: 1024 * 1024,
    read() {
      if (buffered.length > 0) {
        for (const chunk of buffered) this.push(chunk);
        buffered = [];
        return;
      }
      it.next().then(
        ({ value, done }) => this.push(done ? null : Buffer.isBuffer(value) ? value : Buffer.from(value)),
        (err: Error) => this.destroy(err),
      );
    },
    destroy(err, cb) {
      if (!source.destroyed) source.destroy(err ?? undefined);
      cb(err);
    },
  });
  return { head, stream };
}
