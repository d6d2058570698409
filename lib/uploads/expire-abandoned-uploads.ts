import { stat } from "node:fs/promises";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { removeUpload, uploadFile } from "@/lib/images/upload-file";

const HOUR_MS = 3_600_000;
const PAGE = 100;

const abandonedReason = (hours: number) =>
  `upload abandoned: no bytes arrived for ${hours} hour${hours === 1 ? "" : "s"}`;

/**
 * Ends the uploads of a zone that received no bytes for BAZAAR_UPLOAD_EXPIRE_HOURS: the image
 * goes to ERROR with the reason and the partial bytes leave the disk. Idleness counts from the
 * last byte (the upload file's modification time), not from creation, so a long upload that
 * is still moving never expires; an image whose upload never began counts from its creation.
 * Returns how many uploads it ended.
 */
export async function expireAbandonedUploads(zoneId: number, now = new Date()): Promise<number> {
  const hours = getConfig().uploadExpireHours;
  const cutoff = now.getTime() - hours * HOUR_MS;
  const reason = abandonedReason(hours);
  let expired = 0;
  let after = 0;
  let zoneName: string | undefined;
  for (;;) {
    // nothing created after the cutoff can have been idle that long
    const page = await db().image.findMany({
      where: { zoneId, origin: "UPLOAD", state: "INIT", createdAt: { lt: new Date(cutoff) }, id: { gt: after } },
      select: { id: true, name: true, uploadId: true, createdAt: true, updatedAt: true },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    for (const img of page) {
      if ((await lastActivity(img)) >= cutoff) continue;
      // conditional: an upload that just finished (LOCKED) or was cancelled is left as it is
      const { count } = await db().image.updateMany({
        where: { id: img.id, state: "INIT", uploadId: img.uploadId },
        data: { state: "ERROR", error: reason, reservedBytes: 0 },
      });
      if (count !== 1) continue;
      if (img.uploadId) await removeUpload(img.uploadId);
      zoneName ??= (await db().zone.findUnique({ where: { id: zoneId }, select: { name: true } }))?.name ?? "";
      await recordAudit(
        { actorName: "system", zoneName, requestId: "uploads.expire" },
        { action: "image.upload-expired", objectType: "IMAGE", objectId: img.id, objectName: img.name },
      );
      expired++;
    }
    if (page.length < PAGE) return expired;
    after = page[page.length - 1].id;
  }
}

/** When the upload last received bytes, in ms since the epoch. */
async function lastActivity(img: { uploadId: string; createdAt: Date; updatedAt: Date }): Promise<number> {
  if (!img.uploadId) return img.createdAt.getTime();
  try {
    return (await stat(uploadFile(img.uploadId))).mtimeMs;
  } catch {
    // no file (never created, or removed by hand): idle since the upload was attached
    return img.updatedAt.getTime();
  }
}
