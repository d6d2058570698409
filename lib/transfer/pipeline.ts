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
 * Reads at least the first `n` bytes (when there are so many), puts them back, and gives the
 * same stream back: the pipeline then reads the source itself, with no wrapper per chunk, and
 * destroying it (abort, failure) destroys the source.
 */
async function peek(source: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let woke = false;
  while (size < n) {
    const chunk: Buffer | string | null = source.read();
    if (chunk !== null) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      chunks.push(buf);
      size += buf.length;
      woke = false;
      continue;
    }
    // 'readable' with nothing to read means the end
    if (woke || source.readableEnded) break;
    if (source.destroyed) throw source.errored ?? new Error("the source closed before sending data");
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        source.off("readable", done).off("close", closed).off("error", fail);
        resolve();
      };
      const closed = () => {
        source.off("readable", done).off("close", closed).off("error", fail);
        reject(source.errored ?? new Error("the source closed before sending data"));
      };
      const fail = (err: Error) => {
        source.off("readable", done).off("close", closed).off("error", fail);
        reject(err);
      };
      source.on("readable", done).on("close", closed).on("error", fail);
    });
    woke = true;
  }
  const head = Buffer.concat(chunks);
  // a source that already ended was short: all of it is in hand
  if (source.readableEnded || source.destroyed) return { head, stream: Readable.from(chunks, { objectMode: false }) };
  if (head.length > 0) source.unshift(head);
  return { head: head.subarray(0, n), stream: source };
}
