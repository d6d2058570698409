import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { nameFor, rightsSelect } from "@/lib/permissions/references";
import { marketDriverFor } from "@/lib/markets/market-spec";
import { loadAppTree, treeApps } from "./app-tree";
import { findApp } from "./find-app";

/**
 * Deletes an app and its bytes, from the app's own zone. The backend goes first: when it
 * refuses, the app stays (in ERROR, with the reason) instead of vanishing over orphaned
 * bytes as in OpenNebula. An app that a composite app uses stays until that one goes; with
 * `withChildren`, a composite app takes along the child apps its publish created that nothing
 * else uses (the user must be allowed to delete each of them, or nothing is deleted).
 */
export async function deleteApp({ ctx, input }: { ctx: Ctx; input: { id: number; withChildren?: boolean } }) {
  const app = await findApp(ctx, input.id, "delete");
  refusePublic(app);
  const parents = await db().marketplaceAppChild.findMany({
    where: { childId: app.id },
    select: { parent: { select: { id: true, name: true, ...rightsSelect } } },
  });
  if (parents.length > 0) {
    const names = new Set(parents.map((p) => nameFor(subjectOf(ctx), p.parent)));
    throw new AppError("WRONG_STATE", `App ${app.name} is a part of ${[...names].join(", ")}; delete that first`);
  }
  const children = input.withChildren ? treeApps(await loadAppTree(db(), app.id), true).reverse() : [];
  const targets = [app];
  for (const child of children) targets.push(await findApp(ctx, child.id, "delete"));
  for (const target of targets) {
    refusePublic(target);
    await checkDeletable(ctx, target);
  }

  for (const [i, target] of targets.entries()) {
    // a child that another composite app also uses stays
    if (i > 0 && (await db().marketplaceAppChild.count({ where: { childId: target.id } })) > 0) continue;
    await deleteOne(ctx, target, i > 0 ? app.name : undefined);
  }
}

/** A public catalog's app goes when the catalog drops it, never by hand. */
function refusePublic(app: { name: string; upstreamKey: string | null }) {
  if (app.upstreamKey !== null)
    throw new AppError(
      "WRONG_STATE",
      `App ${app.name} comes from a public catalog and goes when the catalog drops it; disable it instead`,
    );
}

async function checkDeletable(ctx: Ctx, app: Awaited<ReturnType<typeof findApp>>) {
  if (app.zoneId !== ctx.zone.id)
    throw new AppError("WRONG_ZONE", `App ${app.name} can only be deleted from its zone, ${app.zone.name}`);
  const active = await db().job.count({
    where: { objectType: "MARKETPLACE_APP", objectId: app.id, state: { in: ["QUEUED", "RUNNING"] } },
  });
  if (app.state === "LOCKED" || active > 0)
    throw new AppError("WRONG_STATE", `App ${app.name} is being published; cancel its job first`);
}

async function deleteOne(ctx: Ctx, app: Awaited<ReturnType<typeof findApp>>, partOf?: string) {
  // claimed first: no publish can make it a part, nor an import start, while its bytes go
  const { count } = await db().marketplaceApp.updateMany({
    where: { id: app.id, parents: { none: {} }, state: { notIn: ["INIT", "LOCKED"] } },
    data: { state: "LOCKED" },
  });
  if (count === 0)
    throw new AppError("WRONG_STATE", `App ${app.name} is being published or became a part of another app; try again`);
  const market = await db().marketplace.findUniqueOrThrow({ where: { id: app.marketplaceId } });
  if (app.storageKey) {
    try {
      await marketDriverFor(market).delete(app.storageKey);
    } catch (err) {
      // stored on the app, which users who may not see its marketplace read too: it goes unnamed
      const reason = `deleting its bytes from its marketplace failed: ${(err as Error).message}`;
      await db().marketplaceApp.update({ where: { id: app.id }, data: { state: "ERROR", error: reason } });
      throw new AppError("BACKEND_FAILED", `App ${app.name} was not deleted: ${reason}`);
    }
  }
  await db().$transaction(async (tx) => {
    await tx.marketplaceApp.delete({ where: { id: app.id } });
    await recordAudit(
      { ...ctx, tx },
      {
        action: "app.delete",
        objectType: "MARKETPLACE_APP",
        objectId: app.id,
        objectName: app.name,
        details: { marketplaceId: app.marketplaceId, ...(partOf && { partOf }) },
      },
    );
  });
}
