import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineJob, PermanentJobError, type JobContext } from "@/lib/jobs/define-job";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { marketDriverFor } from "@/lib/markets/market-spec";
import { sweepUnfinished } from "@/lib/markets/sweep-unfinished";
import { ingestImage } from "@/lib/images/ingest-image";
import { parseTemplate, serializeTemplate } from "@/lib/templates/template-text";
import { templateForImage, templateFromMarket } from "@/lib/templates/composite";
import { imageBytes, loadAppTree, treeApps } from "./app-tree";
import { discardImage } from "./discard-image";
import { releaseImage } from "./image-hold";
import { uploadImageApp } from "./jobs";

type Progress = Pick<JobContext<unknown>, "signal" | "progress" | "fence">;

/**
 * One part of a job that moves several objects: its bytes count from `offset` within the
 * job's total (never past `offset + size`), and its phases name the part.
 */
function partOf(job: Progress, offset: number, size: number, label: string): Progress {
  return {
    signal: job.signal,
    fence: () => job.fence(),
    progress: (u) =>
      job.progress({
        ...(u.bytesDone !== undefined && { bytesDone: offset + Math.min(u.bytesDone, size) }),
        ...(u.phase !== undefined && { phase: `${u.phase} ${label}` }),
      }),
  };
}

/** The same failure, with the part that failed named (a permanent one stays permanent). */
function blame(err: unknown, what: string): Error {
  const message = `${what} failed: ${(err as Error).message}`;
  return err instanceof PermanentJobError ? new PermanentJobError(message) : new Error(message);
}

const publishPayload = z.object({ appId: z.number().int().positive() });

/**
 * Uploads every IMAGE app a composite publish created (one after the other, one progress for
 * all), then makes the VM template apps and the parent READY together. A retry skips the
 * children an earlier attempt finished. When it gives up, everything the publish created goes.
 */
export const publishCompositeJob = defineJob({
  kind: "app.publish-composite",
  schema: publishPayload,
  maxAttempts: 3,
  async run(job) {
    const root = await db().marketplaceApp.findUnique({ where: { id: job.payload.appId } });
    if (!root) throw new PermanentJobError("the app was deleted");
    if (root.state === "READY" || root.state === "DISABLED") return;
    if (root.state !== "LOCKED") throw new PermanentJobError(`the app is ${root.state}`);
    const created = treeApps(await loadAppTree(db(), root.id), true);
    const uploads = created.filter((a) => a.type === "IMAGE");
    const images = await db().image.findMany({
      where: { id: { in: uploads.map((a) => a.originImageId ?? -1) } },
      select: { id: true, name: true, sizeBytes: true },
    });
    const imageOf = new Map(images.map((i) => [i.id, i]));
    const sizeOf = (a: (typeof uploads)[number]) => Number(imageOf.get(a.originImageId ?? -1)?.sizeBytes ?? 0);
    const total = uploads.reduce((sum, a) => sum + sizeOf(a), 0);
    job.progress({ bytesDone: 0, bytesTotal: total, phase: "uploading" });

    let offset = 0;
    for (const [i, app] of uploads.entries()) {
      const size = sizeOf(app);
      const image = imageOf.get(app.originImageId ?? -1);
      const what = `child app ${app.name}${image ? ` (image ${image.name})` : ""}`;
      if (!image) throw new PermanentJobError(`${what} failed: the image it publishes is gone`);
      try {
        await uploadImageApp(partOf(job, offset, size, `${app.name} (${i + 1}/${uploads.length})`), app.id, image.id, {
          keepLocked: true,
        });
      } catch (err) {
        throw blame(err, what);
      }
      offset += size;
      job.progress({ bytesDone: offset });
    }

    job.signal.throwIfAborted();
    await job.fence();
    await db().$transaction(async (tx) => {
      const tree = await loadAppTree(tx, root.id);
      const createdIds = new Set(created.map((a) => a.id));
      for (const app of treeApps(tree)) {
        const ready = createdIds.has(app.id)
          ? app.state === "LOCKED" && (app.type !== "IMAGE" || app.source !== "")
          : app.state === "READY";
        if (!ready) throw new PermanentJobError(`child app ${app.name} is ${app.state}`);
      }
      // every part becomes READY with the parent, and the images are released together
      for (const app of treeApps(tree, true)) {
        if (app.type !== "IMAGE") continue;
        const { count } = await tx.marketplaceApp.updateMany({
          where: { id: app.id, state: "LOCKED" },
          data: { state: "READY" },
        });
        if (count === 1) await releaseImage(tx, app.originImageId);
      }
      for (const node of tree) {
        if (!node.created || node.app.type !== "VMTEMPLATE") continue;
        await tx.marketplaceApp.updateMany({
          where: { id: node.app.id, state: "LOCKED" },
          data: { state: "READY", error: "", ...imageBytes(node.children) },
        });
      }
      await tx.marketplaceApp.updateMany({
        where: { id: root.id, state: "LOCKED" },
        data: { state: "READY", error: "", ...imageBytes(tree) },
      });
    });
    job.progress({ phase: "published" });
  },
  onGiveUp: (p) => rollbackPublish(p.appId),
});

/**
 * Removes what a composite publish created: the bytes of its new image apps first, then the
 * apps (parent first), releasing the images they held. Apps it reused stay. When a backend
 * refuses to remove some bytes, nothing is deleted: the parent and its parts stay in ERROR,
 * naming the parts whose bytes remain, so that deleting the app later retries (no bytes are
 * ever orphaned); why the publish failed stays on its job. A publish
 * that finished is left alone.
 */
export async function rollbackPublish(rootId: number): Promise<void> {
  const root = await db().marketplaceApp.findUnique({ where: { id: rootId } });
  if (!root || root.state === "READY" || root.state === "DISABLED") return;
  const created = treeApps(await loadAppTree(db(), root.id), true);
  const markets = new Map<number, Parameters<typeof marketDriverFor>[0]>();
  const marketOf = async (id: number) => {
    if (!markets.has(id)) markets.set(id, await db().marketplace.findUniqueOrThrow({ where: { id } }));
    return markets.get(id)!;
  };
  await marketOf(root.marketplaceId);
  const failures: string[] = [];
  for (const app of created) {
    if (app.type !== "IMAGE" || !app.storageKey) continue;
    try {
      await marketDriverFor(await marketOf(app.marketplaceId)).delete(app.storageKey);
    } catch (err) {
      failures.push(`${app.name}: ${(err as Error).message}`);
    }
  }
  for (const market of markets.values()) await sweepUnfinished(market.id, marketDriverFor(market)).catch(() => {});
  await db().$transaction(async (tx) => {
    for (const app of created) {
      if (app.type !== "IMAGE") continue;
      const row = await tx.marketplaceApp.findUnique({ where: { id: app.id }, select: { state: true } });
      if (row?.state === "LOCKED") await releaseImage(tx, app.originImageId);
    }
    if (failures.length > 0) {
      await tx.marketplaceApp.updateMany({
        where: { id: { in: [root.id, ...created.map((a) => a.id)] }, state: { in: ["INIT", "LOCKED"] } },
        data: {
          state: "ERROR",
          // everyone who sees the app reads this, and the reason may name the publisher's
          // images: it stays on the publisher's job
          error: `the publish failed (its job says why); the bytes of some parts could not be removed (deleting the app retries): ${failures.join("; ")}`,
        },
      });
      return;
    }
    await tx.marketplaceApp.delete({ where: { id: root.id } });
    for (const type of ["VMTEMPLATE", "IMAGE"])
      for (const app of created.filter((a) => a.type === type))
        await tx.marketplaceApp.deleteMany({ where: { id: app.id, parents: { none: {} } } });
  });
}

const importPayloadShape = z.object({
  /** the app the user imports (the root of the tree) */
  appId: z.number().int().positive(),
  /** one image per IMAGE app of the tree, in the order they are imported */
  images: z.array(z.object({ appId: z.number().int().positive(), imageId: z.number().int().positive() })),
  /** the VM templates to create at the end, from the template each app carries */
  vmTemplates: z.array(z.object({ appId: z.number().int().positive(), name: z.string() })),
  /** the service template to create at the end (SERVICE_TEMPLATE apps) */
  serviceTemplate: z.object({ name: z.string() }).nullable(),
  /** who owns the templates it creates (null when it creates none) */
  owner: z
    .object({
      zoneId: z.number().int(),
      ownerId: z.number().int(),
      groupId: z.number().int(),
      ownerRights: z.number().int(),
      groupRights: z.number().int(),
      otherRights: z.number().int(),
    })
    .nullable(),
});

/** Imports queued before composite apps carried `{appId, imageId}`: one image, no template. */
const importPayload = z.preprocess((raw) => {
  const v = raw as { appId?: number; imageId?: number; images?: unknown };
  if (v && typeof v === "object" && v.imageId !== undefined && v.images === undefined)
    return {
      appId: v.appId,
      images: [{ appId: v.appId, imageId: v.imageId }],
      vmTemplates: [],
      serviceTemplate: null,
      owner: null,
    };
  return raw;
}, importPayloadShape);
export type ImportPayload = z.infer<typeof importPayload>;

/**
 * Brings an app into the local zone: each image's bytes are streamed from its marketplace,
 * verified (size, md5, sha256) and converted to the datastore's format, one after the other
 * under one progress; the images stay LOCKED until all are in. Then, in one transaction, the
 * VM templates (disks pointing to the new images) and the service template (roles pointing to
 * the new VM templates) are created and the images become READY. A failure removes every
 * image; the templates never existed.
 */
export const importAppJob = defineJob({
  kind: "app.import",
  schema: importPayload,
  maxAttempts: 3,
  async run(job) {
    const p = job.payload;
    const apps = await db().marketplaceApp.findMany({
      where: { id: { in: [p.appId, ...p.images.map((i) => i.appId), ...p.vmTemplates.map((v) => v.appId)] } },
      include: { marketplace: true },
    });
    const appOf = new Map(apps.map((a) => [a.id, a]));
    const total = p.images.reduce((sum, i) => sum + Number(appOf.get(i.appId)?.sizeBytes ?? 0), 0);
    job.progress({ bytesDone: 0, bytesTotal: total, phase: "transferring" });

    let offset = 0;
    for (const [n, part] of p.images.entries()) {
      const app = appOf.get(part.appId);
      const what = `image from app ${app?.name ?? part.appId}`;
      if (!app) throw new PermanentJobError(`${what} failed: the app was deleted`);
      if (app.state !== "READY")
        throw new PermanentJobError(`${what} failed: the app is ${app.state}; only READY apps can be imported`);
      const size = Number(app.sizeBytes);
      const market = marketDriverFor(app.marketplace);
      try {
        await ingestImage(
          partOf(job, offset, size, `${app.name} (${n + 1}/${p.images.length})`),
          part.imageId,
          async () => {
            // bytes that are gone will not come back on a retry; the importer may not be
            // allowed to see the marketplace, so the message does not name it
            if (!(await market.stat(app.storageKey)))
              throw new PermanentJobError("the app's marketplace no longer has its bytes");
            return {
              stream: await market.openRead(app.storageKey, undefined, { signal: job.signal }),
              length: size,
            };
          },
          { expectedBytes: size, decompress: false, keepLocked: true },
        );
      } catch (err) {
        throw p.images.length > 1 ? blame(err, what) : err;
      }
      offset += size;
      job.progress({ bytesDone: offset });
    }

    job.signal.throwIfAborted();
    await job.fence();
    const imageOfApp = new Map(p.images.map((i) => [i.appId, i.imageId]));
    const ids = [...new Set(p.images.map((i) => i.imageId))];
    if (await finishedBefore(p, ids)) return; // an attempt that died after its commit
    if ((p.vmTemplates.length > 0 || p.serviceTemplate) && !p.owner)
      throw new PermanentJobError("the import does not say who owns its templates");
    try {
      await db().$transaction(async (tx) => {
        const vmOfApp = new Map<number, number>();
        for (const vt of p.vmTemplates) {
          const app = appOf.get(vt.appId);
          if (!app) throw new PermanentJobError(`app ${vt.appId}, whose VM template it imports, was deleted`);
          const parsed = parseTemplate(app.vmTemplate);
          const template =
            app.type === "IMAGE"
              ? templateForImage(parsed, imageOfApp.get(app.id)!)
              : templateFromMarket(parsed, imageOfApp);
          const row = await tx.vmTemplate.create({
            data: {
              ...p.owner!,
              name: vt.name,
              description: app.description,
              template: serializeTemplate(template),
              fromAppId: app.id,
            },
          });
          vmOfApp.set(app.id, row.id);
        }
        if (p.serviceTemplate) {
          const root = appOf.get(p.appId);
          if (!root) throw new PermanentJobError("the service app was deleted");
          const body = serviceBodyOf(root.serviceTemplate);
          const roles = body.roles.map(({ app_id, ...role }) => {
            const vm = vmOfApp.get(Number(app_id));
            if (vm === undefined)
              throw new PermanentJobError(`role ${String(role.name)} names no imported VM template`);
            return { ...role, vm_template: vm };
          });
          await tx.serviceTemplate.create({
            data: {
              ...p.owner!,
              name: p.serviceTemplate.name,
              description: root.description,
              body: JSON.stringify({ ...body, name: p.serviceTemplate.name, roles }),
              fromAppId: root.id,
            },
          });
        }
        const { count } = await tx.image.updateMany({
          where: { id: { in: ids }, state: "LOCKED", storageKey: { not: "" } },
          data: { state: "READY" },
        });
        if (count !== ids.length) throw new PermanentJobError("an image of the import is no longer complete");
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new PermanentJobError("a template with one of the names of this import was created meanwhile");
      // a template the app carries that cannot be written back is not going to change on a retry
      if (err instanceof AppError && !(err instanceof PermanentJobError)) throw new PermanentJobError(err.message);
      throw err;
    }
  },
  async onGiveUp(p) {
    for (const part of p.images) await discardImage(part.imageId).catch(() => {});
  },
});

/** Whether an earlier attempt of this import committed (its images READY, its templates made). */
async function finishedBefore(p: ImportPayload, imageIds: number[]): Promise<boolean> {
  if (imageIds.length > 0)
    return (await db().image.count({ where: { id: { in: imageIds }, state: "READY" } })) === imageIds.length;
  const first = p.vmTemplates[0];
  if (!first || !p.owner) return false;
  return (
    (await db().vmTemplate.count({ where: { ownerId: p.owner.ownerId, name: first.name, fromAppId: first.appId } })) > 0
  );
}

/** The OneFlow body a SERVICE_TEMPLATE app carries (written by the publish, roles by app id). */
export function serviceBodyOf(text: string): Record<string, unknown> & {
  roles: (Record<string, unknown> & { name: string; app_id?: number })[];
} {
  try {
    const body = JSON.parse(text || "{}") as { roles?: unknown };
    if (Array.isArray(body.roles)) return body as ReturnType<typeof serviceBodyOf>;
  } catch {
    // reported below
  }
  throw new PermanentJobError("the app's service template is not a OneFlow document with roles");
}
