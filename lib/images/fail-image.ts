import { db } from "@/lib/db/client";
import { datastoreDriverFor } from "@/lib/datastores/drivers/registry";
import { imageKey } from "./image-rules";

/**
 * When an ingest gives up: the image goes to ERROR with the reason, and none of its bytes
 * remain (its object, the objects between steps, unfinished writes).
 */
export async function failImage(imageId: number, reason: string) {
  const img = await db().image.findUnique({ where: { id: imageId }, include: { datastore: true } });
  if (!img || img.state === "READY") return;
  const store = datastoreDriverFor(img.datastore);
  const key = imageKey(imageId);
  const ofImage = (k: string) => k === key || k.startsWith(`${key}.`);
  await store.abortStaleUploads((k) => !ofImage(k)).catch(() => {});
  for (const { key: k } of await store.list().catch(() => [])) if (ofImage(k)) await store.delete(k).catch(() => {});
  await db().image.update({ where: { id: imageId }, data: { state: "ERROR", error: reason, storageKey: "" } });
}
