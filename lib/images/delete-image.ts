import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { datastoreDriverFor } from "@/lib/datastores/drivers/registry";
import { findImage } from "./find-image";
import { removeImageObjects } from "./image-objects";
import { removeUpload } from "./upload-file";

/**
 * Deletes an image and its bytes. Refused while its bytes move (LOCKED) or are read (USED);
 * an INIT image's unfinished upload is removed with it.
 */
export async function deleteImage({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const img = await db().$transaction(async (tx) => {
    const row = await findImage({ ...ctx, tx }, input.id, "delete");
    if (row.state === "LOCKED")
      throw new AppError("WRONG_STATE", `Image ${row.name} is LOCKED while its bytes move; cancel its job first`);
    if (row.state === "USED" || row.readers > 0)
      throw new AppError("WRONG_STATE", `Image ${row.name} is USED by ${row.readers} copy operation(s)`);
    const active = await tx.job.count({
      where: { objectType: "IMAGE", objectId: row.id, state: { in: ["QUEUED", "RUNNING"] } },
    });
    if (active > 0) throw new AppError("WRONG_STATE", `Image ${row.name} has a job in progress; cancel it first`);
    await tx.image.delete({ where: { id: row.id } });
    // apps published from it keep their bytes; they just no longer point at an image
    await tx.marketplaceApp.updateMany({ where: { originImageId: row.id }, data: { originImageId: null } });
    await recordAudit(
      { ...ctx, tx },
      { action: "image.delete", objectType: "IMAGE", objectId: row.id, objectName: row.name },
    );
    return row;
  });
  const ds = await db().datastore.findUnique({ where: { id: img.datastoreId } });
  if (ds) await removeImageObjects(datastoreDriverFor(ds), img.id);
  if (img.uploadId) await removeUpload(img.uploadId);
}
