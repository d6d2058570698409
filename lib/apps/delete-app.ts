import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { driverOf } from "@/lib/markets/market-spec";
import { findApp } from "./find-app";

/**
 * Deletes an app and its bytes, from the app's own zone. The backend goes first: when it
 * refuses, the app stays (in ERROR, with the reason) instead of vanishing over orphaned
 * bytes as in OpenNebula.
 */
export async function deleteApp({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const app = await findApp(ctx, input.id, "delete");
  if (app.zoneId !== ctx.zone.id)
    throw new AppError("WRONG_ZONE", `App ${app.name} can only be deleted from its zone, ${app.zone.name}`);
  const active = await db().job.count({
    where: { objectType: "MARKETPLACE_APP", objectId: app.id, state: { in: ["QUEUED", "RUNNING"] } },
  });
  if (app.state === "LOCKED" || active > 0)
    throw new AppError("WRONG_STATE", `App ${app.name} is being published; cancel its job first`);
  const market = await db().marketplace.findUniqueOrThrow({ where: { id: app.marketplaceId } });
  if (app.storageKey) {
    try {
      await driverOf(market).delete(app.storageKey);
    } catch (err) {
      const reason = `deleting its bytes from marketplace ${market.name} failed: ${(err as Error).message}`;
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
        details: { marketplaceId: app.marketplaceId },
      },
    );
  });
}
