import { Readable, type Writable } from "node:stream";
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
  const { head, stream } = await peek(opts.source, 6);
  const compression = opts.decompress === false ? "none" : sniffCompression(head);
  const sourceMeter = new Meter({ onBytes: opts.onSourceBytes, ...(compression === "none" ? { limit: opts.limit, limitMessage: opts.limitMessage } : {}) });
  if (compression === "none") {
    await pipeline([stream, sourceMeter, opts.sink], { signal: opts.signal });
    const d = await sourceMeter.digests();
    return { sourceBytes: sourceMeter.bytes, source: d, bytes: sourceMeter.bytes, ...d, compression };
  }
  const outMeter = new Meter({ limit: opts.limit, limitMessage: opts.limitMessage });
  await pipeline([stream, sourceMeter, createDecompressor(compression), outMeter, opts.sink], { signal: opts.signal });
  return {
    sourceBytes: sourceMeter.bytes,
    source: await sourceMeter.digests(),
    bytes: outMeter.bytes,
    ...(await outMeter.digests()),
    compression,
  };
}

/** Reads the first `n` bytes and gives back a stream that still starts at byte 0. */
async function peek(source: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const it = source[Symbol.asyncIterator]();
  const buffered: Buffer[] = [];
  let size = 0;
  while (size < n) {
    const { value, done } = await it.next();
    if (done) break;
    const chunk = Buffer.isBuffer(value) ? value : Buffer.from(value);
    buffered.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(buffered).subarray(0, n);
  const stream = Readable.from(
    (async function* () {
      yield* buffered;
      for (;;) {
        const { value, done } = await it.next();
        if (done) return;
        yield value as Buffer;
      }
    })(),
    { objectMode: false, highWaterMark: 1024 * 1024 },
  );
  stream.on("close", () => {
    if (!source.destroyed) source.destroy();
  });
  return { head, stream };
}
