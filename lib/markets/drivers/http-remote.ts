import { Readable } from "node:stream";
import type { ByteRange } from "@/lib/storage/byte-store";
import type { MarketObjectInfo } from "./types";

/**
 * Reading an http marketplace's app from where it is served (its BASE_URL, or its zone's
 * portal at /market/<id>/), for an instance whose host does not hold the folder. Every
 * request has a time limit for its answer and for each chunk of its body, is aborted by the
 * caller's signal, and is checked: a range is answered with exactly that range, and a body
 * ends at the length it was announced with.
 */

export interface RemoteTimeouts {
  /** until the answer's status and headers arrive */
  answerMs: number;
  /** waiting for the next chunk of a body that is being read */
  idleMs: number;
}

export const REMOTE_TIMEOUTS: RemoteTimeouts = { answerMs: 15_000, idleMs: 60_000 };

interface Exchange {
  res: Response;
  controller: AbortController;
  /** the caller's signal */
  signal: AbortSignal | undefined;
  /** unlinks the caller's signal; the exchange stays abortable through `controller` */
  done(): void;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * One GET. The request always carries a signal of its own: besides the time limit, that keeps
 * Next.js's request deduplication away from it (it tees the body of a GET without a signal
 * and keeps one branch unread, so the body is held in memory and cancelling it never ends).
 */
async function get(url: string, headers: Record<string, string>, timeouts: RemoteTimeouts, signal?: AbortSignal) {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal!.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const done = () => signal?.removeEventListener("abort", onAbort);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeouts.answerMs);
  try {
    const res = await fetch(url, {
      // the length announced is the length read: no transfer compression
      headers: { ...headers, "accept-encoding": "identity" },
      signal: controller.signal,
      redirect: "follow",
      cache: "no-store",
    });
    return { res, controller, signal, done } satisfies Exchange;
  } catch (err) {
    done();
    if (signal?.aborted) throw signal.reason;
    if (timedOut) throw new Error(`${url} did not answer within ${seconds(timeouts.answerMs)}`);
    const cause = (err as Error & { cause?: Error }).cause;
    throw new Error(`${url} cannot be reached: ${cause?.message ?? (err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/** Drops an answer whose body is not wanted: the connection is closed, nothing waits for it. */
function discard(x: Exchange) {
  x.done();
  x.controller.abort();
  x.res.body?.cancel().catch(() => {});
}

const answered = (res: Response) => `answered ${res.status} ${res.statusText}`.trimEnd();

/** A Content-Range: `bytes <start>-<end>/<total>` (the total may be `*`), or a 416's `bytes *` + `/<total>`. */
function contentRange(res: Response) {
  const value = res.headers.get("content-range") ?? "";
  const m = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(value.trim());
  if (!m) return null;
  const total = m[3] === "*" ? null : Number(m[3]);
  return { start: m[1] === undefined ? null : Number(m[1]), end: m[2] === undefined ? null : Number(m[2]), total };
}

const lengthOf = (res: Response) => {
  const v = res.headers.get("content-length");
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v) : null;
};

/**
 * The object's size and validators, or null when the server says it has none (404, 410).
 * Asks for its first byte only: a HEAD answer need not carry the length (the portal's own
 * does not, behind Next.js), a byte range's Content-Range does.
 */
export async function statRemote(
  url: string,
  timeouts: RemoteTimeouts,
  signal?: AbortSignal,
): Promise<MarketObjectInfo | null> {
  const x = await get(url, { range: "bytes=0-0" }, timeouts, signal);
  const { res } = x;
  discard(x);
  if (res.status === 404 || res.status === 410) return null;
  let size: number | null = null;
  if (res.status === 206) size = contentRange(res)?.total ?? null;
  else if (res.status === 200) size = lengthOf(res);
  // the one object a range of its first byte cannot be asked of
  else if (res.status === 416 && contentRange(res)?.total === 0) size = 0;
  else throw new Error(`${url} ${answered(res)}`);
  if (size === null) throw new Error(`${url} answered ${res.status} without saying the object's size`);
  const etag = res.headers.get("etag");
  const modified = Date.parse(res.headers.get("last-modified") ?? "");
  return {
    size,
    etag: etag && /^"[^"]*"$/.test(etag) ? etag : `"${size.toString(16)}"`,
    lastModified: new Date(Number.isNaN(modified) ? 0 : modified),
  };
}

/** The object, or `range` of it, as a stream checked against what was asked and announced. */
export async function openRemote(
  url: string,
  range: ByteRange | undefined,
  timeouts: RemoteTimeouts,
  signal?: AbortSignal,
): Promise<Readable> {
  const x = await get(url, range ? { range: `bytes=${range.start}-${range.end}` } : {}, timeouts, signal);
  const { res } = x;
  const refuse = (why: string): never => {
    discard(x);
    throw new Error(`${url} ${why}`);
  };
  if (!res.ok || !res.body) refuse(answered(res));
  let expected = lengthOf(res);
  if (range) {
    if (res.status !== 206) refuse("ignored the byte range");
    const got = contentRange(res);
    const asked = `bytes ${range.start}-${range.end}`;
    if (got?.start !== range.start || got.end !== range.end)
      refuse(`answered ${res.headers.get("content-range") ?? "no Content-Range"} for ${asked}`);
    const length = range.end - range.start + 1;
    if (expected !== null && expected !== length) refuse(`announced ${expected} bytes for ${asked}`);
    expected = length;
  } else if (res.status !== 200) {
    refuse(`answered ${res.status} to a request for the whole object`);
  }
  return new RemoteBody(url, x, expected, timeouts.idleMs);
}

/**
 * The body of an answer as a Node stream. The idle limit runs only while a chunk is awaited
 * from the network (never while the reader is busy elsewhere); destroying the stream closes
 * the connection at once.
 */
class RemoteBody extends Readable {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private received = 0;

  constructor(
    private readonly url: string,
    private readonly exchange: Exchange,
    private readonly expected: number | null,
    private readonly idleMs: number,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.reader = exchange.res.body!.getReader();
  }

  override _read(): void {
    const idle = setTimeout(
      () => this.destroy(new Error(`${this.url} sent nothing for ${seconds(this.idleMs)}`)),
      this.idleMs,
    );
    this.reader.read().then(
      ({ done, value }) => {
        clearTimeout(idle);
        if (this.destroyed) return;
        if (done) {
          if (this.expected !== null && this.received !== this.expected) return void this.destroy(this.shortBy());
          this.exchange.done();
          this.push(null);
          return;
        }
        this.received += value.byteLength;
        if (this.expected !== null && this.received > this.expected)
          return void this.destroy(new Error(`${this.url} sent more than the ${this.expected} bytes it announced`));
        this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      },
      (err: Error) => {
        clearTimeout(idle);
        if (this.destroyed) return;
        const { signal } = this.exchange;
        this.destroy(
          signal?.aborted ? signal.reason : new Error(`${this.url} broke off: ${err.message}`, { cause: err }),
        );
      },
    );
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.exchange.done();
    // after the whole body this closes nothing; before, it ends the request
    this.exchange.controller.abort();
    this.reader.cancel().catch(() => {});
    cb(err);
  }

  private shortBy() {
    return new Error(`${this.url} ended after ${this.received} of the ${this.expected} bytes it announced`);
  }
}
