import { Readable } from "node:stream";

export type ByteRange = { start: number; end: number };

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
 * The one way bytes are served (image and app downloads, http marketplace folders): 200 whole,
 * 206 for a range, 416 for a range outside the object, no body for HEAD; streamed.
 */
export async function rangeResponse(opts: {
  size: number;
  range: string | null;
  headers: Headers;
  open: (range?: ByteRange) => Promise<Readable>;
  head?: boolean;
}): Promise<Response> {
  const { size, headers } = opts;
  const range = parseRange(opts.range, size);
  if (range === "invalid") {
    headers.set("content-range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const length = range ? range.end - range.start + 1 : size;
  headers.set("content-length", String(length));
  if (range) headers.set("content-range", `bytes ${range.start}-${range.end}/${size}`);
  const status = range ? 206 : 200;
  if (opts.head || length === 0) return new Response(null, { status, headers });
  const stream = await opts.open(range ?? undefined);
  return new Response(Readable.toWeb(stream) as ReadableStream, { status, headers });
}
