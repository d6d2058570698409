import { Readable } from "node:stream";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { driverFor } from "@/lib/datastores/drivers/registry";
import { findImage } from "./find-image";

/**
 * Streams an image's bytes with HTTP Range support. Only READY and USED images have
 * complete bytes; anything else is refused rather than served partially.
 */
export async function downloadImage({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number; range: string | null };
}): Promise<Response> {
  const img = await findImage(ctx, input.id, "download");
  if (img.state !== "READY" && img.state !== "USED") {
    throw new AppError("WRONG_STATE", `Image ${img.name} is ${img.state}; only READY or USED images can be downloaded`);
  }
  const ds = await db().datastore.findUniqueOrThrow({ where: { id: img.datastoreId } });
  const driver = driverFor(ds);
  const size = Number(img.sizeBytes);
  const ext = img.format === "iso" ? "iso" : img.format || "img";
  const headers = new Headers({
    "content-type": "application/octet-stream",
    "content-disposition": `attachment; filename="${img.name.replace(/[^A-Za-z0-9._-]/g, "_")}.${ext}"`,
    "accept-ranges": "bytes",
    etag: `"${img.sha256}"`,
    "cache-control": "private, no-store",
  });
  const range = parseRange(input.range, size);
  if (range === "invalid") {
    headers.set("content-range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const stream = await driver.openRead(img.storageKey, range ?? undefined);
  const body = Readable.toWeb(stream) as ReadableStream;
  if (range) {
    headers.set("content-range", `bytes ${range.start}-${range.end}/${size}`);
    headers.set("content-length", String(range.end - range.start + 1));
    return new Response(body, { status: 206, headers });
  }
  headers.set("content-length", String(size));
  return new Response(body, { status: 200, headers });
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; multi-ranges are served whole. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | "invalid" {
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
