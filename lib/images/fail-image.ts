import { db } from "@/lib/db/client";
import { datastoreDriverFor } from "@/lib/datastores/drivers/registry";
import { removeImageObjects } from "./image-objects";

/**
 * When an ingest gives up: the image goes to ERROR with the reason, and none of its bytes
 * remain (its object, the objects between steps, unfinished writes).
 */
export async function failImage(imageId: number, reason: string) {
  const img = await db().image.findUnique({ where: { id: imageId }, include: { datastore: true } });
  if (!img || img.state === "READY") return;
  await removeImageObjects(datastoreDriverFor(img.datastore), imageId).catch(() => {});
  await db().image.update({
    where: { id: imageId },
    data: { state: "ERROR", error: reason, storageKey: "", reservedBytes: 0, sizeBytes: 0, virtualSizeBytes: 0 },
  });
}
