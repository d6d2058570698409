import type { Readable } from "node:stream";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineJob, PermanentJobError, type JobContext } from "@/lib/jobs/define-job";
import { datastoreDriverFor } from "@/lib/datastores/drivers/registry";
import { marketDriverFor } from "@/lib/markets/market-spec";
import { sweepUnfinished } from "@/lib/markets/sweep-unfinished";
import { runTransfer } from "@/lib/transfer/pipeline";
import { releaseImage } from "./image-hold";

const publishPayload = z.object({ appId: z.number().int().positive(), imageId: z.number().int().positive() });

/**
 * Copies an image's bytes into a marketplace: datastore → md5+sha256 → market driver
 * (a temporary file or an S3 multipart upload, invisible until commit). The bytes that went
 * out must hash to the image's recorded checksums and the stored object must have the
 * image's size, or nothing is committed. Safe to run again: each attempt writes anew.
 */
export const publishAppJob = defineJob({
  kind: "app.publish",
  schema: publishPayload,
  maxAttempts: 3,
  run: (job) => uploadImageApp(job, job.payload.appId, job.payload.imageId),
  /** Only a publish still in progress fails: a finished app keeps its bytes whatever happens. */
  async onGiveUp(p, reason) {
    const app = await db().marketplaceApp.findUnique({ where: { id: p.appId }, include: { marketplace: true } });
    if (!app) return;
    const failed = await db().$transaction(async (tx) => {
      const { count } = await tx.marketplaceApp.updateMany({
        where: { id: app.id, state: { in: ["INIT", "LOCKED"] } },
        data: { state: "ERROR", error: reason },
      });
      if (count === 1) await releaseImage(tx, p.imageId);
      return count === 1;
    });
    if (!failed) return;
    const driver = marketDriverFor(app.marketplace);
    // a commit that happened before the failure, or parts a dead service kept: remove them
    await driver.delete(app.storageKey).catch(() => {});
    await sweepUnfinished(app.marketplaceId, driver).catch(() => {});
  },
});

/**
 * Streams an image's bytes into its IMAGE app and marks the app READY (releasing the image).
 * Shared by the image publish and every child of a composite publish, which passes
 * `keepLocked`: the bytes are committed and recorded (source, checksums) but the app stays
 * LOCKED and the image held until the whole composite is in.
 */
export async function uploadImageApp(
  job: Pick<JobContext<unknown>, "signal" | "progress" | "fence">,
  appId: number,
  imageId: number,
  opts: { keepLocked?: boolean } = {},
): Promise<void> {
  const app = await db().marketplaceApp.findUnique({ where: { id: appId }, include: { marketplace: true } });
  if (!app) throw new PermanentJobError("the app was deleted");
  // an earlier attempt finished (and the app may have been disabled since)
  if (app.state === "READY" || app.state === "DISABLED") return;
  if (app.state !== "LOCKED") throw new PermanentJobError(`the app is ${app.state}`);
  if (opts.keepLocked && app.source) return; // committed by an earlier attempt
  const image = await db().image.findUnique({ where: { id: imageId }, include: { datastore: true } });
  if (!image || !image.storageKey) throw new PermanentJobError("the image to publish is gone");
  const size = Number(image.sizeBytes);
  const market = marketDriverFor(app.marketplace);
  job.progress({ bytesDone: 0, bytesTotal: size, phase: "uploading" });
  // what an attempt that died left under this app's key (this attempt holds the lease)
  await market.abortStaleUploads((key) => key !== app.storageKey);
  const handle = await market.beginWrite(app.storageKey, { size, signal: job.signal });
  let source: Readable | undefined;
  try {
    source = await datastoreDriverFor(image.datastore).openRead(image.storageKey);
    const result = await runTransfer({
      source,
      sink: handle.stream,
      signal: job.signal,
      decompress: false,
      onSourceBytes: (bytes) => job.progress({ bytesDone: bytes }),
    });
    job.progress({ phase: "verifying" });
    if (result.bytes !== size || result.md5 !== image.md5 || result.sha256 !== image.sha256)
      throw new PermanentJobError(
        `the image's bytes do not match its checksums (read ${result.bytes} of ${size} bytes, sha256 ${result.sha256})`,
      );
    job.signal.throwIfAborted();
    await job.fence();
    const { size: written } = await handle.commit();
    const stored = await market.stat(app.storageKey);
    if (written !== size || stored?.size !== size) {
      await market.delete(app.storageKey).catch(() => {});
      throw new PermanentJobError(
        `the marketplace stored ${stored?.size ?? "no"} bytes instead of ${size}; the object was removed`,
      );
    }
    await db().$transaction(async (tx) => {
      const { count } = await tx.marketplaceApp.updateMany({
        where: { id: app.id, state: "LOCKED" },
        data: {
          state: opts.keepLocked ? "LOCKED" : "READY",
          error: "",
          sizeBytes: BigInt(size),
          virtualSizeBytes: image.virtualSizeBytes,
          md5: result.md5,
          sha256: result.sha256,
          format: image.format,
          source: market.sourceOf(app.storageKey),
        },
      });
      if (count === 1 && !opts.keepLocked) await releaseImage(tx, image.id);
    });
  } catch (err) {
    source?.destroy();
    await handle.abort();
    throw err;
  }
}
