import { rm } from "node:fs/promises";
import path from "node:path";
import { getConfig } from "@/lib/config";

/** Where a finished tus upload's bytes are. */
export const uploadFile = (uploadId: string) => path.join(getConfig().uploadDir, uploadId);

/** Removes an upload's bytes and tus's record of it; a missing upload is not an error. */
export async function removeUpload(uploadId: string) {
  await rm(uploadFile(uploadId), { force: true });
  await rm(`${uploadFile(uploadId)}.json`, { force: true });
}
