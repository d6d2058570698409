import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineStep, step, type PlannedStep } from "@/lib/jobs/define-flow";
import { PermanentJobError } from "@/lib/jobs/define-job";
import { defineFlow } from "@/lib/jobs/run-plan";
import { marketDriverFor } from "@/lib/markets/market-spec";
import { sweepUnfinished } from "@/lib/markets/sweep-unfinished";
import { imageBytes, loadAppTree, treeApps, type TreeApp } from "./app-tree";
import { releaseImage } from "./image-hold";
import { uploadStep, uploadToMarket } from "./publish-app-job";

/**
 * The pivot of a composite publish: every part it created is in, so the image apps, the VM
 * template apps and the parent become READY together and the images are released.
 */
export const markCompositeReady = defineStep({
  kind: "composite.ready",
  params: z.object({ rootId: z.number().int() }),
  result: z.object({}),
  run: async () => ({}),
  async record(tx, p) {
    const tree = await loadAppTree(tx, p.rootId);
    const created = new Set(treeApps(tree, true).map((a) => a.id));
    for (const app of treeApps(tree)) {
      const ready = created.has(app.id)
        ? app.state === "LOCKED" && (app.type !== "IMAGE" || app.source !== "")
        : app.state === "READY";
      if (!ready) throw new PermanentJobError(`child app ${app.name} is ${app.state}`);
    }
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
    const { count } = await tx.marketplaceApp.updateMany({
      where: { id: p.rootId, state: "LOCKED" },
      data: { state: "READY", error: "", ...imageBytes(tree) },
    });
    if (count !== 1) throw new PermanentJobError("the app is no longer being published");
  },
  pivot: true,
});

type ImageRow = Parameters<typeof uploadStep>[1] & { name: string };

/**
 * A composite publish: one upload per IMAGE app it created (the apps it reuses are in
 * already), then everything READY at once. A finished publish needs nothing.
 */
export function planCompositePublish(
  root: { id: number; state: string },
  created: TreeApp[],
  images: Map<number, NonNullable<ImageRow>>,
): PlannedStep[] {
  if (root.state === "READY" || root.state === "DISABLED") return [];
  if (root.state !== "LOCKED") throw new PermanentJobError(`the app is ${root.state}`);
  const uploads = created.filter((a) => a.type === "IMAGE");
  return [
    ...uploads.map((app, i) => {
      const image = images.get(app.originImageId ?? -1) ?? null;
      return uploadStep(app, image, {
        key: `upload:${app.id}`,
        title: `uploading ${app.name} (${i + 1}/${uploads.length})`,
        part: `child app ${app.name}${image ? ` (image ${image.name})` : ""}`,
      });
    }),
    step(markCompositeReady, "ready", "published", { rootId: root.id }),
  ];
}

/** Publishes a VM template or a service template with its parts (see publishComposite). */
export const publishCompositeJob = defineFlow({
  kind: "app.publish-composite",
  schema: z.object({ appId: z.number().int().positive() }),
  steps: [uploadToMarket, markCompositeReady],
  async load(p) {
    const root = await db().marketplaceApp.findUnique({ where: { id: p.appId } });
    if (!root) throw new PermanentJobError("the app was deleted");
    const created = treeApps(await loadAppTree(db(), root.id), true);
    const rows = await db().image.findMany({
      where: { id: { in: created.flatMap((a) => (a.originImageId === null ? [] : [a.originImageId])) } },
    });
    return { root, created, images: new Map(rows.map((i) => [i.id, i])) };
  },
  plan: (_p, { root, created, images }) => planCompositePublish(root, created, images),
  release: (p) => rollbackPublish(p.appId),
});

/**
 * Removes what a composite publish created: the bytes of its new image apps first, then the
 * apps (parent first), releasing the images they held. Apps it reused stay. A publish that
 * finished is left alone (see removeUnfinishedApps).
 */
export async function rollbackPublish(rootId: number): Promise<void> {
  const root = await db().marketplaceApp.findUnique({ where: { id: rootId } });
  if (!root || root.state === "READY" || root.state === "DISABLED") return;
  const created = treeApps(await loadAppTree(db(), root.id), true);
  await removeUnfinishedApps(root, created, "the publish");
}

type MadeApp = Pick<TreeApp, "id" | "name" | "type" | "storageKey" | "marketplaceId" | "originImageId">;

/**
 * Removes apps a job created and did not finish (`root` and `created`, which may include
 * it): the bytes of the image apps first, then the apps (root first), releasing the images
 * they held. When a backend refuses to remove some bytes, nothing is deleted: the apps stay
 * in ERROR, naming the parts whose bytes remain, so that deleting the app later retries (no
 * bytes are ever orphaned); why `what` ("the publish") failed stays on its job.
 */
export async function removeUnfinishedApps(
  root: { id: number; marketplaceId: number },
  created: MadeApp[],
  what: string,
): Promise<void> {
  const marketIds = [...new Set([root.marketplaceId, ...created.map((a) => a.marketplaceId)])];
  const markets = new Map(
    (await db().marketplace.findMany({ where: { id: { in: marketIds } } })).map((m) => [m.id, marketDriverFor(m)]),
  );
  const failures: string[] = [];
  for (const app of created) {
    const market = markets.get(app.marketplaceId);
    if (app.type !== "IMAGE" || !app.storageKey || !market) continue;
    try {
      await market.delete(app.storageKey);
    } catch (err) {
      failures.push(`${app.name}: ${(err as Error).message}`);
    }
  }
  for (const [id, market] of markets) await sweepUnfinished(id, market).catch(() => {});
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
          error: `${what} failed (its job says why); the bytes of some parts could not be removed (deleting the app retries): ${failures.join("; ")}`,
        },
      });
      return;
    }
    await tx.marketplaceApp.deleteMany({ where: { id: root.id } });
    for (const type of ["VMTEMPLATE", "IMAGE"])
      for (const app of created.filter((a) => a.type === type))
        await tx.marketplaceApp.deleteMany({ where: { id: app.id, parents: { none: {} } } });
  });
}
