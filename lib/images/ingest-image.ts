import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { db } from "@/lib/db/client";
import { datastoreDriverFor } from "@/lib/datastores/drivers/registry";
import { FsDatastoreDriver } from "@/lib/datastores/drivers/fs";
import { measureCapacity, noSpaceMessage } from "@/lib/datastores/measure-capacity";
import { PermanentJobError, type JobContext } from "@/lib/jobs/define-job";
import { convertImage, probeImage, rawLooksLikeDisk } from "@/lib/transfer/disk-format";
import { LimitExceededError, Meter } from "@/lib/transfer/meter";
import { runTransfer } from "@/lib/transfer/pipeline";
import type { WriteHandle } from "@/lib/datastores/drivers/types";
import { imageKey } from "./image-rules";

/**
 * Brings an image's bytes into its datastore: stream (decompressing, hashing) into a
 * temporary object, verify the expected checksums, detect the format, refuse what is not a
 * usable image, convert when the datastore requires a format, then commit and mark READY.
 * Nothing partial ever becomes visible: until commit the bytes live in a `.part` file, and
 * a failure removes it. Safe to run again after a crash (it starts over).
 */
export async function ingestImage(
  job: Pick<JobContext<unknown>, "signal" | "progress" | "fence">,
  imageId: number,
  open: () => Promise<{ stream: Readable; length: number | null }>,
  opts: {
    /** the exact number of bytes the source must deliver (an app's recorded size) */
    expectedBytes?: number;
    /** false for sources that hold image bytes as they are (apps): never decompress them */
    decompress?: boolean;
    /**
     * commit the bytes but leave the image LOCKED: a composite import makes all its images
     * READY together, once every one is in
     */
    keepLocked?: boolean;
  } = {},
): Promise<void> {
  const img = await db().image.findUnique({ where: { id: imageId }, include: { datastore: true } });
  if (!img) throw new PermanentJobError(`image ${imageId} no longer exists`);
  if (img.state === "READY") return; // a previous attempt finished; nothing to redo
  if (opts.keepLocked && img.state === "LOCKED" && img.storageKey) return; // committed, awaiting the others
  const ds = img.datastore;
  const driver = datastoreDriverFor(ds);
  if (!driver.capabilities.localPath)
    throw new PermanentJobError(`datastore driver ${ds.driver} cannot check disk formats`);
  await driver.init();
  await sweepTemporary(driver, imageId);
  await db().image.update({ where: { id: imageId }, data: { state: "LOCKED", error: "" } });

  const { capacity } = await measureCapacity(ds);
  const source = await open();
  if (source.length !== null && source.length > capacity.freeBytes) {
    source.stream.destroy();
    throw new PermanentJobError(noSpaceMessage(ds.name, source.length, capacity.freeBytes));
  }
  job.progress({ bytesDone: 0, bytesTotal: source.length, phase: "transferring" });

  const handles: WriteHandle[] = [];
  try {
    const first = await driver.beginWrite(imageKey(imageId));
    handles.push(first);
    let result;
    try {
      result = await runTransfer({
        source: source.stream,
        sink: first.stream,
        signal: job.signal,
        decompress: opts.decompress,
        limit: capacity.freeBytes,
        limitMessage: noSpaceMessage(ds.name, capacity.freeBytes + 1, capacity.freeBytes),
        onSourceBytes: (bytes) => job.progress({ bytesDone: bytes }),
      });
    } catch (err) {
      if (err instanceof LimitExceededError) throw new PermanentJobError(err.message);
      throw err;
    }
    job.progress({ bytesDone: result.sourceBytes, bytesTotal: result.sourceBytes, phase: "verifying" });
    if (opts.expectedBytes !== undefined && result.sourceBytes !== opts.expectedBytes)
      throw new PermanentJobError(`size mismatch: expected ${opts.expectedBytes} bytes, got ${result.sourceBytes}`);
    checkExpected("md5", img.expectedMd5, result.source.md5, result.md5);
    checkExpected("sha256", img.expectedSha256, result.source.sha256, result.sha256);

    const info = await probeImage(first.tempPath!);
    if (info.refusal) throw new PermanentJobError(info.refusal);
    const required = ds.requiredFormat as "any" | "raw" | "qcow2";
    if (required !== "any" && info.format === "raw") {
      const why = await rawLooksLikeDisk(first.tempPath!, result.bytes);
      // kept on the image, whose viewers may not all see the datastore: it goes unnamed
      if (why) throw new PermanentJobError(`${why}; its datastore requires ${required} disk images`);
    }

    let final = first;
    let digests = { md5: result.md5, sha256: result.sha256 };
    let format: string = info.format;
    const keepIso = info.format === "iso" && img.type === "CDROM";
    if (required !== "any" && info.format !== required && !keepIso) {
      // a small qcow2 can stand for a huge raw disk: the limit holds for what is written
      if (required === "raw" && info.virtualSize > capacity.freeBytes) {
        throw new PermanentJobError(noSpaceMessage(ds.name, info.virtualSize, capacity.freeBytes));
      }
      job.progress({
        phase: `converting ${info.format} to ${required}`,
        bytesDone: 0,
        bytesTotal: info.virtualSize || null,
      });
      const converted = await driver.beginWrite(imageKey(imageId));
      handles.push(converted);
      converted.stream.destroy(); // qemu-img writes the file itself
      await rm(converted.tempPath!, { force: true });
      await convertImage(first.tempPath!, converted.tempPath!, info.format, required, {
        signal: job.signal,
        onProgress: (f) => job.progress({ bytesDone: Math.round(f * (info.virtualSize || 0)) }),
      });
      await first.abort();
      job.progress({ phase: "hashing", bytesDone: 0, bytesTotal: null });
      const meter = new Meter({ onBytes: (b) => job.progress({ bytesDone: b }) });
      await pipeline(createReadStream(converted.tempPath!, { highWaterMark: 1024 * 1024 }), meter, discard(), {
        signal: job.signal,
      });
      digests = await meter.digests();
      if (meter.bytes > capacity.freeBytes)
        throw new PermanentJobError(noSpaceMessage(ds.name, meter.bytes, capacity.freeBytes));
      format = required;
      final = converted;
    }
    job.signal.throwIfAborted(); // a cancel that came during probing or hashing still wins
    await job.fence();
    const { size } = await final.commit();
    // conversion keeps the virtual (guest-visible) size
    const virtual = info.virtualSize || size;
    await db().image.update({
      where: { id: imageId },
      data: {
        state: opts.keepLocked ? "LOCKED" : "READY",
        error: "",
        format,
        sizeBytes: BigInt(size),
        virtualSizeBytes: BigInt(virtual),
        md5: digests.md5,
        sha256: digests.sha256,
        storageKey: imageKey(imageId),
      },
    });
  } catch (err) {
    source.stream.destroy(); // when the failure came before the pipeline owned it
    await Promise.all(handles.map((h) => h.abort().catch(() => {})));
    throw err;
  }
}

/** A sink that drops what it gets (the meter before it has already hashed it). */
const discard = () => new Writable({ write: (_chunk, _enc, cb) => cb() });

function checkExpected(kind: "md5" | "sha256", expected: string, ofSource: string, ofImage: string) {
  if (!expected) return;
  if (expected === ofSource || expected === ofImage) return;
  throw new PermanentJobError(`${kind} mismatch: expected ${expected}, got ${ofSource}`);
}

async function sweepTemporary(driver: ReturnType<typeof datastoreDriverFor>, imageId: number) {
  if (!(driver instanceof FsDatastoreDriver)) return;
  const prefix = `${imageKey(imageId)}.`;
  for (const file of await driver.listTemporary()) {
    if (file.split("/").pop()!.startsWith(prefix)) await rm(file, { force: true });
  }
}

/** When an ingest gives up: the image goes to ERROR with the reason, and no bytes remain. */
export async function failImage(imageId: number, reason: string) {
  const img = await db().image.findUnique({ where: { id: imageId }, include: { datastore: true } });
  if (!img || img.state === "READY") return;
  const driver = datastoreDriverFor(img.datastore);
  await sweepTemporary(driver, imageId).catch(() => {});
  await driver.delete(imageKey(imageId)).catch(() => {});
  await db().image.update({ where: { id: imageId }, data: { state: "ERROR", error: reason, storageKey: "" } });
}
