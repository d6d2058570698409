import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineStep, step, type PlannedStep } from "@/lib/jobs/define-flow";
import { PermanentJobError } from "@/lib/jobs/define-job";
import { defineFlow } from "@/lib/jobs/run-plan";
import { failImage } from "./fail-image";
import { INGEST_STEPS, ingestSteps, type IngestSource, type IngestTarget } from "./ingest-steps";
import { removeUpload } from "./upload-file";

/** The pivot of an image import: the image, whose bytes are stored, becomes READY. */
export const markImageReady = defineStep({
  kind: "image.ready",
  params: z.object({ imageId: z.number().int() }),
  result: z.object({}),
  run: async () => ({}),
  async record(tx, p) {
    const { count } = await tx.image.updateMany({
      where: { id: p.imageId, state: "LOCKED", storageKey: { not: "" } },
      data: { state: "READY", error: "" },
    });
    if (count !== 1) throw new PermanentJobError("the image is no longer being imported");
  },
  pivot: true,
});

/** After the pivot: the finished upload is no longer needed. */
export const removeUploadStep = defineStep({
  kind: "upload.remove",
  params: z.object({ uploadId: z.string().regex(/^[A-Za-z0-9_-]+$/) }),
  result: z.object({}),
  async run(_ctx, p) {
    await removeUpload(p.uploadId);
    return {};
  },
});

type ImageRow = IngestTarget & { state: string; declaredBytes: number | null; sourceUrl: string };

async function loadImage(imageId: number): Promise<ImageRow> {
  const img = await db().image.findUnique({ where: { id: imageId }, include: { datastore: true } });
  if (!img) throw new PermanentJobError("the image was deleted");
  return {
    imageId: img.id,
    datastoreId: img.datastoreId,
    imageType: img.type,
    requiredFormat: img.datastore.requiredFormat,
    expectedMd5: img.expectedMd5,
    expectedSha256: img.expectedSha256,
    state: img.state,
    declaredBytes: img.declaredBytes === null ? null : Number(img.declaredBytes),
    sourceUrl: img.sourceUrl,
  };
}

/**
 * An image import: the ingest steps, then the image becomes READY, then (an upload) the
 * upload goes. An image already READY (an attempt that died after its commit) needs nothing.
 */
export function planImageImport(image: ImageRow, from: IngestSource): PlannedStep[] {
  if (image.state === "READY") return [];
  const expectedBytes = from.from === "upload" ? from.declaredBytes : null;
  return [
    ...ingestSteps(image, from, { expectedBytes }),
    step(markImageReady, "ready", "ready", { imageId: image.imageId }),
    ...(from.from === "upload"
      ? [step(removeUploadStep, "remove-upload", "removing the upload", { uploadId: from.uploadId })]
      : []),
  ];
}

const STEPS = [...INGEST_STEPS, markImageReady, removeUploadStep];
const imagePayload = z.object({ imageId: z.number().int().positive() });

/** Downloads an image from its URL into its datastore. */
export const importUrlJob = defineFlow({
  kind: "image.import-url",
  schema: imagePayload,
  steps: STEPS,
  load: (p) => loadImage(p.imageId),
  plan: (_p, image) => planImageImport(image, { from: "url", url: image.sourceUrl }),
  release: (p, reason) => failImage(p.imageId, reason),
});

/** Moves a finished browser upload into the image's datastore, then removes the upload. */
export const importUploadJob = defineFlow({
  kind: "image.import-upload",
  schema: imagePayload.extend({ uploadId: z.string().regex(/^[A-Za-z0-9_-]+$/) }),
  steps: STEPS,
  load: (p) => loadImage(p.imageId),
  plan: (p, image) =>
    planImageImport(image, { from: "upload", uploadId: p.uploadId, declaredBytes: image.declaredBytes }),
  async release(p, reason) {
    await failImage(p.imageId, reason);
    await removeUpload(p.uploadId);
  },
});
