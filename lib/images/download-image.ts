import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { nameFor } from "@/lib/permissions/references";
import { AppError } from "@/lib/errors";
import { datastoreDriverFor } from "@/lib/datastores/drivers/registry";
import { cannotServe, storedSizeCheck, wholeOf, type ByteSource } from "@/lib/transfer/byte-source";
import { findImage } from "./find-image";

/**
 * An image's bytes, ready to be served (lib/api/serve-bytes.ts). Only READY and USED images
 * have complete bytes; anything else is refused rather than served partially.
 */
export async function downloadImage({ ctx, input }: { ctx: Ctx; input: { id: number } }): Promise<ByteSource> {
  const img = await findImage(ctx, input.id, "download");
  if (img.state !== "READY" && img.state !== "USED") {
    throw new AppError("WRONG_STATE", `Image ${img.name} is ${img.state}; only READY or USED images can be downloaded`);
  }
  const ds = await db().datastore.findUniqueOrThrow({ where: { id: img.datastoreId } });
  const driver = datastoreDriverFor(ds);
  const what = `Datastore ${nameFor(subjectOf(ctx), ds, "DATASTORE")} could not serve image ${img.name}`;
  return {
    size: Number(img.sizeBytes),
    etag: img.sha256 ? `"${img.sha256}"` : undefined,
    filename: `${img.name}.${img.format || "img"}`,
    contentType: "application/octet-stream",
    verify: storedSizeCheck(() => driver.stat(img.storageKey), Number(img.sizeBytes), ctx.user, what),
    open: (range) =>
      // never past the size stated, even if the file grew since it was checked
      driver.openRead(img.storageKey, range ?? wholeOf(Number(img.sizeBytes))).catch((err: Error) => {
        throw cannotServe(ctx.user, what, err);
      }),
  };
}
