import { createReadStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { defineJob, PermanentJobError } from "@/lib/jobs/define-job";
import { openUrl, UrlRefusedError } from "@/lib/transfer/url-source";
import { failImage, ingestImage } from "./ingest-image";

const imagePayload = z.object({ imageId: z.number().int().positive() });

/** Downloads an image from its URL into its datastore. */
export const importUrlJob = defineJob({
  kind: "image.import-url",
  schema: imagePayload,
  maxAttempts: 3,
  async run(job) {
    const img = await db().image.findUnique({ where: { id: job.payload.imageId } });
    if (!img) throw new PermanentJobError("the image was deleted");
    await ingestImage(job, img.id, async () => {
      try {
        const res = await openUrl(img.sourceUrl, { signal: job.signal });
        return { stream: res.body, length: res.length };
      } catch (err) {
        if (err instanceof UrlRefusedError) throw new PermanentJobError(err.message);
        throw err;
      }
    });
  },
  onGiveUp: (p, reason) => failImage(p.imageId, reason),
});

/** Where a finished tus upload's bytes are. */
export const uploadFile = (uploadId: string) => path.join(getConfig().uploadDir, uploadId);

/** Moves a finished browser upload into the image's datastore, then removes the upload. */
export const importUploadJob = defineJob({
  kind: "image.import-upload",
  schema: imagePayload.extend({ uploadId: z.string().regex(/^[A-Za-z0-9_-]+$/) }),
  maxAttempts: 3,
  async run(job) {
    const file = uploadFile(job.payload.uploadId);
    const img = await db().image.findUnique({ where: { id: job.payload.imageId }, select: { declaredBytes: true } });
    const declared = img?.declaredBytes == null ? undefined : Number(img.declaredBytes);
    // the file is looked for only when bytes must move: a retry after a finished import
    // (crash before the job was marked done) finds the image READY and the upload removed
    await ingestImage(
      job,
      job.payload.imageId,
      async () => {
        const size = await stat(file)
          .then((s) => s.size)
          .catch(() => {
            throw new PermanentJobError("the uploaded file is gone");
          });
        // tus keeps an upload within its length, and the length was checked at creation;
        // this holds even for a file changed behind tus's back
        if (declared !== undefined && size !== declared)
          throw new PermanentJobError(`the upload holds ${size} bytes, but the image was created with ${declared}`);
        return { stream: createReadStream(file, { highWaterMark: 1024 * 1024 }), length: size };
      },
      { expectedBytes: declared },
    );
    await removeUpload(job.payload.uploadId);
  },
  async onGiveUp(p, reason) {
    await failImage(p.imageId, reason);
    await removeUpload(p.uploadId);
  },
});

export async function removeUpload(uploadId: string) {
  await rm(uploadFile(uploadId), { force: true });
  await rm(`${uploadFile(uploadId)}.json`, { force: true });
}
