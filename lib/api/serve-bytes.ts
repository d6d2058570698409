import { Readable } from "node:stream";
import type { ByteRange, ByteSource } from "@/lib/transfer/byte-source";
import { DIRECT_BODY_HEADER, directBodiesEnabled, registerDirectBody } from "./direct-body.mjs";
import { LENGTH_HEADER } from "./response-length.mjs";

export interface ServeBytesOptions {
  /** Cache-Control of every answer, 304 and 416 included */
  cacheControl: string;
}

/**
 * The one way bytes are served (image and app downloads, http marketplace folders): 200 whole,
 * 206 for a single range, 416 for a range outside the object, 304 when the client's copy is
 * current, no body for HEAD; streamed, or a 307 to where the client fetches the bytes itself
 * when the source offers that (an s3 marketplace's presigned URL). Errors from `source.open` propagate to the caller.
 * Under the production server a body of known length goes out as a Node stream piped straight
 * into the socket (lib/api/direct-body.mjs), never through a web ReadableStream.
 */
export async function serveBytes(
  req: { method: string; headers: Headers },
  source: ByteSource,
  opts: ServeBytesOptions,
): Promise<Response> {
  await source.verify?.(req.method);
  const { size } = source;
  const headers = new Headers({
    "content-type": source.contentType,
    "accept-ranges": "bytes",
    "cache-control": opts.cacheControl,
  });
  if (source.etag) headers.set("etag", source.etag);
  if (source.lastModified) headers.set("last-modified", source.lastModified.toUTCString());
  if (source.filename !== undefined) headers.set("content-disposition", contentDisposition(source.filename));

  if (notModified(req.headers, source)) return new Response(null, { status: 304, headers });
  // the bytes are fetched from where they are stored (Range, If-Range and 416 are that server's);
  // HEAD is answered here, from what the portal knows
  if (source.redirect && req.method === "GET") {
    return new Response(null, {
      status: 307,
      // the URL expires soon: no cache keeps the answer
      headers: { location: await source.redirect(), "cache-control": "private, no-store" },
    });
  }
  // a Range applies only while the client's partial copy is current (If-Range)
  const ifRange = req.headers.get("if-range");
  const range = parseRange(ifRange && !ifRangeMatches(ifRange, source) ? null : req.headers.get("range"), size);
  if (range === "invalid") {
    headers.set("content-range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const length = range ? range.end - range.start + 1 : size;
  if (source.sizeIsExact !== false) {
    headers.set("content-length", String(length));
    // Next.js drops Content-Length from a route handler's answer; the server puts it back
    headers.set(LENGTH_HEADER, String(length));
  }
  if (range) headers.set("content-range", `bytes ${range.start}-${range.end}/${size}`);
  const status = range ? 206 : 200;
  if (req.method === "HEAD" || length === 0) return new Response(null, { status, headers });
  const stream = await source.open(range ?? undefined);
  // a body without a stated length keeps the web stream: Node would announce an empty body
  if (directBodiesEnabled() && headers.has(LENGTH_HEADER)) {
    headers.set(DIRECT_BODY_HEADER, registerDirectBody(stream));
    return new Response(null, { status, headers });
  }
  return new Response(Readable.toWeb(stream) as ReadableStream, { status, headers });
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; multi-ranges are served whole. */
export function parseRange(header: string | null, size: number): ByteRange | null | "invalid" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return header.includes(",") ? null : "invalid";
  let start: number;
  let end: number;
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return "invalid";
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "invalid";
  return { start, end };
}

/**
 * `attachment` with the name as an ASCII-only `filename`, plus the exact name as RFC 6266
 * `filename*` (UTF-8, percent-encoded) whenever the ASCII form had to change it.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, "_");
  if (ascii === filename) return `attachment; filename="${ascii}"`;
  // RFC 8187 attr-char leaves fewer characters bare than encodeURIComponent does
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const opaqueTag = (tag: string) => tag.trim().replace(/^W\//, "");
const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** If-None-Match (weak comparison) or, without it, If-Modified-Since (RFC 9110 §13.2.2). */
function notModified(headers: Headers, source: ByteSource): boolean {
  const inm = headers.get("if-none-match");
  if (inm !== null) {
    return inm.split(",").some((t) => t.trim() === "*" || (!!source.etag && opaqueTag(t) === opaqueTag(source.etag)));
  }
  const ims = headers.get("if-modified-since");
  if (ims === null || !source.lastModified) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && toSeconds(source.lastModified.getTime()) <= toSeconds(since);
}

/** If-Range holds a strong entity tag or an HTTP date; both must match exactly (RFC 9110 §13.1.5). */
function ifRangeMatches(value: string, source: ByteSource): boolean {
  const v = value.trim();
  if (v.startsWith('"') || v.startsWith("W/"))
    return !!source.etag && !source.etag.startsWith("W/") && v === source.etag;
  const date = Date.parse(v);
  return !!source.lastModified && !Number.isNaN(date) && toSeconds(source.lastModified.getTime()) === toSeconds(date);
}
