import type { DatastoreDriver } from "@/lib/datastores/drivers/types";
import { imageKey } from "./image-rules";

/** Whether a datastore key holds bytes of the image: its own (`img-<id>`) or an import step's (`img-<id>.<step>`). */
export const isImageObject = (imageId: number) => (key: string) =>
  key === imageKey(imageId) || key.startsWith(`${imageKey(imageId)}.`);

/** Removes every byte of an image from its datastore: its object, the import's, unfinished writes. */
export async function removeImageObjects(store: DatastoreDriver, imageId: number): Promise<void> {
  const ofImage = isImageObject(imageId);
  await store.abortStaleUploads((key) => !ofImage(key));
  for (const { key } of await store.list()) if (ofImage(key)) await store.delete(key);
}
