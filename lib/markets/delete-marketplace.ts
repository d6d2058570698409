import { forgetVdcResource } from "@/lib/vdcs/vdc-services";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { findMarketplace } from "./find-marketplace";
import { marketDriverFor } from "./market-spec";
import type { MarketDriverName } from "./drivers/config";
import { MARKET_DRIVER_CAPABILITIES } from "./drivers/registry";
import { subjectOf } from "@/lib/auth/context";
import { nameFor, rightsSelect } from "@/lib/permissions/references";

/**
 * Deletes a marketplace of the local zone. While it has apps it is refused, unless the caller
 * asks for its apps to go too: then every app's bytes are removed from the backend first, and
 * a backend that refuses stops the delete with the app it failed on (nothing is orphaned).
 */
export async function deleteMarketplace({ ctx, input }: { ctx: Ctx; input: { id: number; deleteApps: boolean } }) {
  const market = await findMarketplace(ctx, input.id, "delete");
  // the apps may be other users' private ones: a message names those by id
  const viewer = subjectOf(ctx);
  if (market.zoneId !== ctx.zone.id)
    throw new AppError("WRONG_ZONE", `Marketplace ${market.name} belongs to zone ${market.zone.name}; delete it there`);
  const apps = await db().marketplaceApp.findMany({
    where: { marketplaceId: market.id },
    select: { id: true, name: true, state: true, storageKey: true, ...rightsSelect },
  });
  if (apps.length > 0 && !input.deleteApps)
    throw new AppError(
      "CONFLICT",
      `Marketplace ${market.name} still has ${apps.length} app(s); delete them first or ask for them to be deleted too`,
    );
  const usedElsewhere = await db().marketplaceAppChild.findFirst({
    where: { child: { marketplaceId: market.id }, parent: { marketplaceId: { not: market.id } } },
    select: {
      parent: { select: { id: true, name: true, ...rightsSelect } },
      child: { select: { id: true, name: true, ...rightsSelect } },
    },
  });
  if (usedElsewhere)
    throw new AppError(
      "WRONG_STATE",
      `App ${nameFor(viewer, usedElsewhere.child)} is a part of app ${nameFor(viewer, usedElsewhere.parent)} of another marketplace; delete that first`,
    );
  const busy = apps.find((a) => a.state === "LOCKED" || a.state === "INIT");
  if (busy)
    throw new AppError("WRONG_STATE", `App ${nameFor(viewer, busy)} is still being published; wait or cancel its job`);
  // no publish may start while the bytes go; the final transaction checks that none did
  await db().marketplace.update({ where: { id: market.id }, data: { enabled: false } });
  const restore = () => db().marketplace.update({ where: { id: market.id }, data: { enabled: market.enabled } });
  const driver = marketDriverFor(market);
  // a public catalog's files are the catalog's: its apps are only forgotten
  const ownsBytes = MARKET_DRIVER_CAPABILITIES[market.driver as MarketDriverName]?.delete ?? true;
  for (const app of apps) {
    if (!app.storageKey || !ownsBytes) continue;
    try {
      await driver.delete(app.storageKey);
    } catch (err) {
      await db().marketplaceApp.update({
        where: { id: app.id },
        data: { state: "ERROR", error: `deleting its bytes failed: ${(err as Error).message}` },
      });
      await restore();
      throw new AppError(
        "BACKEND_FAILED",
        `Could not delete the bytes of app ${nameFor(viewer, app)}: ${(err as Error).message}; the marketplace is kept`,
      );
    }
    await db().marketplaceApp.update({ where: { id: app.id }, data: { storageKey: "" } });
  }
  try {
    await db().$transaction(async (tx) => {
      const started = await tx.marketplaceApp.count({
        where: { marketplaceId: market.id, state: { in: ["INIT", "LOCKED"] } },
      });
      if (started > 0) throw new AppError("WRONG_STATE", `A publish into ${market.name} started meanwhile; try again`);
      await tx.marketplaceAppChild.deleteMany({ where: { parent: { marketplaceId: market.id } } });
      await tx.marketplaceApp.deleteMany({ where: { marketplaceId: market.id } });
      await forgetVdcResource(tx, "MARKETPLACE", market.id);
      await tx.marketplace.delete({ where: { id: market.id } });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "marketplace.delete",
          objectType: "MARKETPLACE",
          objectId: market.id,
          objectName: market.name,
          details: { appsDeleted: apps.map((a) => a.id) },
        },
      );
    });
  } catch (err) {
    await restore();
    throw err;
  }
}
