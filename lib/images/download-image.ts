import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { datastoreDriverFor } from "@/lib/datastores/drivers/registry";
import { rangeResponse } from "@/lib/transfer/range-response";
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
  const driver = datastoreDriverFor(ds);
  const size = Number(img.sizeBytes);
  const ext = img.format === "iso" ? "iso" : img.format || "img";
  const headers = new Headers({
    "content-type": "application/octet-stream",
    "content-disposition": `attachment; filename="${img.name.replace(/[^A-Za-z0-9._-]/g, "_")}.${ext}"`,
    "accept-ranges": "bytes",
    etag: `"${img.sha256}"`,
    "cache-control": "private, no-store",
  });
  return rangeResponse({
    size,
    range: input.range,
    headers,
    open: (range) => driver.openRead(img.storageKey, range),
  });
}
