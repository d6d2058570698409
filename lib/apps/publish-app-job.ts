import { z } from "zod";
import { db } from "@/lib/db/client";
import { datastoreDriverFor } from "@/lib/datastores/drivers/registry";
import { defineStep, step, type PlannedStep } from "@/lib/jobs/define-flow";
import { PermanentJobError } from "@/lib/jobs/define-job";
import { defineFlow } from "@/lib/jobs/run-plan";
import { marketDriverFor } from "@/lib/markets/market-spec";
import { sweepUnfinished } from "@/lib/markets/sweep-unfinished";
import { releaseImage } from "./image-hold";
import { removeAppObject, writeAppObject } from "./write-app-object";

/**
 * Copies an image's bytes into its app's object in a marketplace (see writeAppObject). The
 * bytes that went out must hash to the image's recorded checksums and the stored object must
 * have the image's size, or nothing is committed. The app stays LOCKED: a later step makes it
 * READY.
 */
export const uploadToMarket = defineStep({
  kind: "market.upload",
  params: z.object({
    appId: z.number().int(),
    marketplaceId: z.number().int(),
    storageKey: z.string(),
    image: z.object({
      datastoreId: z.number().int(),
      key: z.string(),
      size: z.number(),
      virtualSize: z.number(),
      format: z.string(),
      md5: z.string(),
      sha256: z.string(),
    }),
  }),
  result: z.object({ size: z.number(), md5: z.string(), sha256: z.string(), source: z.string() }),
  async run(ctx, p) {
    const ds = await db().datastore.findUnique({ where: { id: p.image.datastoreId } });
    if (!ds) throw new PermanentJobError("the image to publish is gone");
    const size = p.image.size;
    return writeAppObject(ctx, {
      marketplaceId: p.marketplaceId,
      storageKey: p.storageKey,
      size,
      open: () => datastoreDriverFor(ds).openRead(p.image.key),
      check(read) {
        if (read.bytes !== size || read.md5 !== p.image.md5 || read.sha256 !== p.image.sha256)
          throw new PermanentJobError(
            `the image's bytes do not match its checksums (read ${read.bytes} of ${size} bytes, sha256 ${read.sha256})`,
          );
      },
    });
  },
  async record(tx, p, r) {
    const { count } = await tx.marketplaceApp.updateMany({
      where: { id: p.appId, state: "LOCKED" },
      data: {
        error: "",
        sizeBytes: BigInt(r.size),
        virtualSizeBytes: BigInt(p.image.virtualSize),
        md5: r.md5,
        sha256: r.sha256,
        format: p.image.format,
        source: r.source,
      },
    });
    if (count !== 1) throw new PermanentJobError("the app is no longer being published");
  },
  compensate: (p) => removeAppObject(p.marketplaceId, p.storageKey),
});

/** The pivot of an image publish: the app becomes READY and its image is released. */
export const markAppReady = defineStep({
  kind: "app.ready",
  params: z.object({ appId: z.number().int(), imageId: z.number().int() }),
  result: z.object({}),
  run: async () => ({}),
  async record(tx, p) {
    const { count } = await tx.marketplaceApp.updateMany({
      where: { id: p.appId, state: "LOCKED", source: { not: "" } },
      data: { state: "READY", error: "" },
    });
    if (count !== 1) throw new PermanentJobError("the app is no longer being published");
    await releaseImage(tx, p.imageId);
  },
  pivot: true,
});

type AppRow = { id: number; state: string; marketplaceId: number; storageKey: string; name: string };
type ImageRow = {
  id: number;
  datastoreId: number;
  storageKey: string;
  sizeBytes: bigint;
  virtualSizeBytes: bigint;
  format: string;
  md5: string;
  sha256: string;
};

/** The upload of one image into one app, as a step (shared with the composite publish). */
export function uploadStep(app: AppRow, image: ImageRow | null, opts: { key: string; title: string; part?: string }) {
  if (!image?.storageKey)
    throw new PermanentJobError(
      opts.part ? `${opts.part} failed: the image it publishes is gone` : "the image to publish is gone",
    );
  const size = Number(image.sizeBytes);
  return {
    ...step(
      uploadToMarket,
      opts.key,
      opts.title,
      {
        appId: app.id,
        marketplaceId: app.marketplaceId,
        storageKey: app.storageKey,
        image: {
          datastoreId: image.datastoreId,
          key: image.storageKey,
          size,
          virtualSize: Number(image.virtualSizeBytes),
          format: image.format,
          md5: image.md5,
          sha256: image.sha256,
        },
      },
      size,
    ),
    ...(opts.part && { part: opts.part }),
  };
}

/** An image publish: upload, then READY. A finished app (READY, or DISABLED since) needs nothing. */
export function planImagePublish(app: AppRow, image: ImageRow | null): PlannedStep[] {
  if (app.state === "READY" || app.state === "DISABLED") return [];
  if (app.state !== "LOCKED") throw new PermanentJobError(`the app is ${app.state}`);
  return [
    uploadStep(app, image, { key: "upload", title: "uploading" }),
    step(markAppReady, "ready", "published", { appId: app.id, imageId: image?.id ?? 0 }),
  ];
}

const publishPayload = z.object({ appId: z.number().int().positive(), imageId: z.number().int().positive() });

/** Publishes an image as an IMAGE app. */
export const publishAppJob = defineFlow({
  kind: "app.publish",
  schema: publishPayload,
  steps: [uploadToMarket, markAppReady],
  async load(p) {
    const app = await db().marketplaceApp.findUnique({ where: { id: p.appId } });
    if (!app) throw new PermanentJobError("the app was deleted");
    return { app, image: await db().image.findUnique({ where: { id: p.imageId } }) };
  },
  plan: (_p, { app, image }) => planImagePublish(app, image),
  /** Only a publish still in progress fails: a finished app keeps its bytes whatever happens. */
  async release(p, reason) {
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
    const market = marketDriverFor(app.marketplace);
    // whatever an attempt left that its step's undo could not know of
    await market.delete(app.storageKey).catch(() => {});
    await sweepUnfinished(app.marketplaceId, market).catch(() => {});
  },
});
