import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { datastoreDriverFor } from "@/lib/datastores/drivers/registry";
import type { DatastoreDriver } from "@/lib/datastores/drivers/types";
import { ingestLimit } from "@/lib/quotas/ingest-limit";
import { defineStep, step, type PlannedStep } from "@/lib/jobs/define-flow";
import { PermanentJobError } from "@/lib/jobs/define-job";
import { MarketConfigError } from "@/lib/markets/drivers/types";
import { marketDriverFor, marketOriginInclude } from "@/lib/markets/market-spec";
import { convertImage, DISK_FORMATS, probeImage, rawLooksLikeDisk } from "@/lib/transfer/disk-format";
import { LimitExceededError, Meter } from "@/lib/transfer/meter";
import { runTransfer } from "@/lib/transfer/pipeline";
import { openUrl, UrlRefusedError } from "@/lib/transfer/url-source";
import { isImageObject } from "./image-objects";
import { imageKey } from "./image-rules";
import { uploadFile } from "./upload-file";

// Bringing an image's bytes into its datastore, as steps: receive → verify → probe → convert
// → store. Between steps the bytes are objects of the datastore named after the image
// (`img-<id>.received`, `img-<id>.converted`); only `store` puts them under the image's key,
// and only the flow's last step makes the image READY.

const receivedKey = (imageId: number) => `${imageKey(imageId)}.received`;
const convertedKey = (imageId: number) => `${imageKey(imageId)}.converted`;
/** keeps what is not this image's: its unfinished writes are what a dead attempt left */
const notOfImage = (imageId: number) => (key: string) => !isImageObject(imageId)(key);

const source = z.discriminatedUnion("from", [
  z.object({ from: z.literal("url"), url: z.string() }),
  z.object({
    from: z.literal("upload"),
    uploadId: z.string().regex(/^[A-Za-z0-9_-]+$/),
    declaredBytes: z.number().nullable(),
  }),
  z.object({ from: z.literal("app"), appId: z.number().int() }),
]);
export type IngestSource = z.infer<typeof source>;

const target = { imageId: z.number().int(), datastoreId: z.number().int() };

async function storeOf(datastoreId: number) {
  const ds = await db().datastore.findUnique({ where: { id: datastoreId } });
  if (!ds) throw new PermanentJobError("the image's datastore no longer exists");
  const store = datastoreDriverFor(ds);
  await store.init();
  return { ds, store };
}

/** The local file of an object: probing and converting run qemu-img on it. */
function localFile(store: DatastoreDriver, key: string): string {
  if (!store.localPath) throw new PermanentJobError(`datastore driver ${store.name} cannot check disk formats`);
  return store.localPath(key);
}

async function openSource(
  from: IngestSource,
  signal: AbortSignal,
): Promise<{ stream: Readable; length: number | null }> {
  switch (from.from) {
    case "url":
      try {
        const res = await openUrl(from.url, { signal });
        return { stream: res.body, length: res.length };
      } catch (err) {
        if (err instanceof UrlRefusedError) throw new PermanentJobError(err.message);
        throw err;
      }
    case "upload": {
      const file = uploadFile(from.uploadId);
      const size = await stat(file).then(
        (s) => s.size,
        () => {
          throw new PermanentJobError("the uploaded file is gone");
        },
      );
      // tus keeps an upload within its length, and the length was checked at creation;
      // this holds even for a file changed behind tus's back
      if (from.declaredBytes !== null && size !== from.declaredBytes)
        throw new PermanentJobError(
          `the upload holds ${size} bytes, but the image was created with ${from.declaredBytes}`,
        );
      return { stream: createReadStream(file, { highWaterMark: 1024 * 1024 }), length: size };
    }
    case "app": {
      const app = await db().marketplaceApp.findUnique({
        where: { id: from.appId },
        include: { marketplace: { include: marketOriginInclude } },
      });
      if (!app) throw new PermanentJobError("the app was deleted");
      if (app.state !== "READY")
        throw new PermanentJobError(`the app is ${app.state}; only READY apps can be imported`);
      // an http marketplace of another zone is read from its zone's endpoint (or BASE_URL)
      const market = marketDriverFor(app.marketplace);
      // bytes that are gone will not come back on a retry; the importer may not be allowed to
      // see the marketplace, so the message does not name it
      try {
        if (!(await market.stat(app.storageKey)))
          throw new PermanentJobError("the app's marketplace no longer has its bytes");
        return { stream: await market.openRead(app.storageKey, undefined, { signal }), length: Number(app.sizeBytes) };
      } catch (err) {
        // a public catalog's file is read from a URL: a refusal (4xx, an address the policy
        // forbids) will not change by trying again; nor will a marketplace that names no URL
        // its folder on another host could be read from
        if (err instanceof UrlRefusedError || err instanceof MarketConfigError)
          throw new PermanentJobError(err.message);
        throw err;
      }
    }
  }
}

const digests = { md5: z.string(), sha256: z.string() };

/** Streams the source (decompressing unless it is an app, hashing) into `img-<id>.received`. */
export const receiveImage = defineStep({
  kind: "image.receive",
  params: z.object({ ...target, source, decompress: z.boolean() }),
  result: z.object({
    key: z.string(),
    bytes: z.number(),
    sourceBytes: z.number(),
    ...digests,
    source: z.object(digests),
  }),
  async run(ctx, p) {
    const { ds, store } = await storeOf(p.datastoreId);
    await db().image.updateMany({
      where: { id: p.imageId, state: { in: ["INIT", "LOCKED"] } },
      data: { state: "LOCKED", error: "" },
    });
    await store.abortStaleUploads(notOfImage(p.imageId));
    const from = await openSource(p.source, ctx.signal);
    const limit = await ingestLimit(p.imageId, ds, from.length).catch((err: Error) => {
      from.stream.destroy();
      throw err;
    });
    if (from.length !== null) ctx.progress({ bytesTotal: from.length });
    const key = receivedKey(p.imageId);
    const handle = await store.beginWrite(key).catch((err: Error) => {
      from.stream.destroy();
      throw err;
    });
    try {
      const result = await runTransfer({
        source: from.stream,
        sink: handle.stream,
        signal: ctx.signal,
        decompress: p.decompress,
        limit: limit.bytes,
        limitMessage: limit.message(limit.bytes + 1),
        onSourceBytes: (bytes) => ctx.progress({ bytesDone: bytes }),
      });
      await ctx.fence();
      await handle.commit();
      return {
        key,
        bytes: result.bytes,
        sourceBytes: result.sourceBytes,
        md5: result.md5,
        sha256: result.sha256,
        source: result.source,
      };
    } catch (err) {
      from.stream.destroy();
      await handle.abort().catch(() => {});
      if (err instanceof LimitExceededError) throw new PermanentJobError(err.message);
      throw err;
    }
  },
  async compensate(p) {
    const { store } = await storeOf(p.datastoreId);
    await store.abortStaleUploads(notOfImage(p.imageId));
    await store.delete(receivedKey(p.imageId));
  },
});

/** The bytes that came are the ones expected: size, and md5/sha256 of the source or of the image. */
export const verifyImage = defineStep({
  kind: "image.verify",
  params: z.object({
    received: z.string(),
    expectedBytes: z.number().nullable(),
    md5: z.string(),
    sha256: z.string(),
  }),
  result: z.object({}),
  async run(ctx, p) {
    const r = ctx.resultOf(receiveImage, p.received);
    if (p.expectedBytes !== null && r.sourceBytes !== p.expectedBytes)
      throw new PermanentJobError(`size mismatch: expected ${p.expectedBytes} bytes, got ${r.sourceBytes}`);
    checkExpected("md5", p.md5, r.source.md5, r.md5);
    checkExpected("sha256", p.sha256, r.source.sha256, r.sha256);
    return {};
  },
});

function checkExpected(kind: "md5" | "sha256", expected: string, ofSource: string, ofImage: string) {
  if (!expected || expected === ofSource || expected === ofImage) return;
  throw new PermanentJobError(`${kind} mismatch: expected ${expected}, got ${ofSource}`);
}

const requiredFormat = z.enum(["any", "raw", "qcow2"]);

/** What the bytes are (qemu-img): refuses what is not a usable image for the datastore. */
export const probeReceived = defineStep({
  kind: "image.probe",
  params: z.object({ ...target, received: z.string(), requiredFormat }),
  result: z.object({ format: z.enum(DISK_FORMATS), virtualSize: z.number() }),
  async run(ctx, p) {
    const r = ctx.resultOf(receiveImage, p.received);
    const { store } = await storeOf(p.datastoreId);
    const file = localFile(store, r.key);
    const info = await probeImage(file);
    if (info.refusal) throw new PermanentJobError(info.refusal);
    if (p.requiredFormat !== "any" && info.format === "raw") {
      const why = await rawLooksLikeDisk(file, r.bytes);
      // kept on the image, whose viewers may not all see the datastore: it goes unnamed
      if (why) throw new PermanentJobError(`${why}; its datastore requires ${p.requiredFormat} disk images`);
    }
    return { format: info.format, virtualSize: info.virtualSize };
  },
});

const placed = z.object({ key: z.string(), format: z.string(), ...digests });

/**
 * Converts to the datastore's format when it requires one (an ISO stays an ISO on a CDROM),
 * into `img-<id>.converted`, and hashes what qemu-img wrote; otherwise names the received bytes.
 */
export const convertReceived = defineStep({
  kind: "image.convert",
  params: z.object({ ...target, received: z.string(), probed: z.string(), requiredFormat, imageType: z.string() }),
  result: placed,
  async run(ctx, p) {
    const r = ctx.resultOf(receiveImage, p.received);
    const info = ctx.resultOf(probeReceived, p.probed);
    const required = p.requiredFormat;
    const keepIso = info.format === "iso" && p.imageType === "CDROM";
    if (required === "any" || info.format === required || keepIso)
      return { key: r.key, format: info.format, md5: r.md5, sha256: r.sha256 };
    const { ds, store } = await storeOf(p.datastoreId);
    if (!store.beginLocalWrite) throw new PermanentJobError(`datastore driver ${store.name} cannot convert images`);
    const limit = await ingestLimit(p.imageId, ds);
    // a small qcow2 can stand for a huge raw disk: the limit holds for what is written
    if (required === "raw" && info.virtualSize > limit.bytes)
      throw new PermanentJobError(limit.message(info.virtualSize));
    // what an attempt that died while converting left
    await store.abortStaleUploads((key) => key !== convertedKey(p.imageId));
    const out = await store.beginLocalWrite(convertedKey(p.imageId));
    try {
      const what = `converting ${info.format} to ${required}`;
      await convertImage(localFile(store, r.key), out.path, info.format, required, {
        signal: ctx.signal,
        onProgress: (f) => ctx.progress({ phase: `${what} (${Math.floor(f * 100)}%)` }),
      });
      ctx.progress({ phase: "hashing" });
      const meter = new Meter({});
      await pipeline(createReadStream(out.path, { highWaterMark: 1024 * 1024 }), meter, discard(), {
        signal: ctx.signal,
      });
      const sums = await meter.digests();
      if (meter.bytes > limit.bytes) throw new PermanentJobError(limit.message(meter.bytes));
      await ctx.fence();
      await out.commit();
      return { key: convertedKey(p.imageId), format: required, ...sums };
    } catch (err) {
      await out.abort().catch(() => {});
      throw err;
    }
  },
  async compensate(p) {
    const { store } = await storeOf(p.datastoreId);
    await store.delete(convertedKey(p.imageId));
  },
});

/** A sink that drops what it gets (the meter before it has already hashed it). */
const discard = () => new Writable({ write: (_chunk, _enc, cb) => cb() });

/**
 * Puts the chosen bytes under the image's key and records size, format and checksums on the
 * image (still LOCKED: the flow's last step makes it READY). Run again after a crash, it finds
 * the bytes already moved.
 */
export const storeImage = defineStep({
  kind: "image.store",
  params: z.object({ ...target, received: z.string(), probed: z.string(), converted: z.string().nullable() }),
  result: z.object({ size: z.number(), virtualSize: z.number(), format: z.string(), ...digests }),
  async run(ctx, p) {
    const info = ctx.resultOf(probeReceived, p.probed);
    const received = ctx.resultOf(receiveImage, p.received);
    // without a conversion step (a datastore that takes any format) the received bytes stay
    const chosen = p.converted
      ? ctx.resultOf(convertReceived, p.converted)
      : { key: received.key, format: info.format, md5: received.md5, sha256: received.sha256 };
    const { store } = await storeOf(p.datastoreId);
    const key = imageKey(p.imageId);
    await ctx.fence();
    if (await store.stat(chosen.key)) await store.move(chosen.key, key);
    const stored = await store.stat(key);
    if (!stored) throw new PermanentJobError("the image's bytes are gone from its datastore");
    if (chosen.key !== receivedKey(p.imageId)) await store.delete(receivedKey(p.imageId));
    await store.abortStaleUploads(notOfImage(p.imageId));
    // conversion keeps the virtual (guest-visible) size
    return {
      size: stored.size,
      virtualSize: info.virtualSize || stored.size,
      format: chosen.format,
      md5: chosen.md5,
      sha256: chosen.sha256,
    };
  },
  async record(tx, p, r) {
    await tx.image.update({
      where: { id: p.imageId },
      data: {
        error: "",
        format: r.format,
        sizeBytes: BigInt(r.size),
        // stored: the size now counts, the reservation is released
        reservedBytes: 0,
        virtualSizeBytes: BigInt(r.virtualSize),
        md5: r.md5,
        sha256: r.sha256,
        storageKey: imageKey(p.imageId),
      },
    });
  },
  async compensate(p) {
    const { store } = await storeOf(p.datastoreId);
    await store.delete(imageKey(p.imageId));
  },
});

export const INGEST_STEPS = [receiveImage, verifyImage, probeReceived, convertReceived, storeImage];

/** What the plan of an ingest needs to know about the image and where it goes. */
export interface IngestTarget {
  imageId: number;
  datastoreId: number;
  imageType: string;
  requiredFormat: string;
  expectedMd5: string;
  expectedSha256: string;
}

/**
 * The steps that bring one image in. `suffix` keeps the keys of several images apart in one
 * plan, `label` names the image in the job's phase, `part` in a failure.
 */
export function ingestSteps(
  image: IngestTarget,
  from: IngestSource,
  opts: { expectedBytes: number | null; suffix?: string; label?: string; part?: string },
): PlannedStep[] {
  const s = opts.suffix ?? "";
  const label = opts.label ? ` ${opts.label}` : "";
  const at = { imageId: image.imageId, datastoreId: image.datastoreId };
  const required = requiredFormat.parse(image.requiredFormat);
  // a datastore that takes any format never converts: the plan has no conversion step
  const converts = required !== "any";
  const keys = { received: `receive${s}`, probed: `probe${s}`, converted: converts ? `convert${s}` : null };
  const part = opts.part ? { part: opts.part } : {};
  const convert = {
    ...step(convertReceived, `convert${s}`, `converting to ${required}${label}`, {
      ...at,
      received: keys.received,
      probed: keys.probed,
      requiredFormat: required,
      imageType: image.imageType,
    }),
    ...part,
  };
  return [
    {
      ...step(
        receiveImage,
        keys.received,
        `transferring${label}`,
        { ...at, source: from, decompress: from.from !== "app" },
        opts.expectedBytes,
      ),
      ...part,
    },
    {
      ...step(verifyImage, `verify${s}`, `verifying${label}`, {
        received: keys.received,
        expectedBytes: opts.expectedBytes,
        md5: image.expectedMd5,
        sha256: image.expectedSha256,
      }),
      ...part,
    },
    {
      ...step(probeReceived, keys.probed, `probing${label}`, {
        ...at,
        received: keys.received,
        requiredFormat: required,
      }),
      ...part,
    },
    ...(converts ? [convert] : []),
    { ...step(storeImage, `store${s}`, `storing${label}`, { ...at, ...keys }), ...part },
  ];
}
