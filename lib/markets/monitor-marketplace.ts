import { z } from "zod";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { defineJob, PermanentJobError } from "@/lib/jobs/define-job";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { findMarketplace } from "./find-marketplace";
import { marketplaceDtoFor } from "./get-marketplace";
import { marketDriverFor } from "./market-spec";
import { isPublicDriver } from "./drivers/config";
import { sweepUnfinished } from "./sweep-unfinished";
import { syncCatalog } from "./catalog/apply-sync";

/**
 * Measures a marketplace and stores the result: capacity (a public catalog: its apps synced)
 * on success, the reason on failure
 * (kept until the next success, shown on its page). Unfinished writes that no publish is
 * writing any more (a crash, an S3 service that was down when the abort was sent) are
 * removed on the way, so no dangling parts or temporary files accumulate.
 */
export async function measureMarketplace(id: number): Promise<{ error: string }> {
  const market = await db().marketplace.findUnique({ where: { id } });
  if (!market) return { error: `marketplace ${id} no longer exists` };
  try {
    const driver = marketDriverFor(market);
    // a public catalog's apps are its entries: monitoring syncs them (a failure changes none)
    if (driver.readCatalog) await syncCatalog(db(), market, driver);
    // a driver that cannot measure itself is still swept
    const capacity = driver.capacity ? await driver.capacity() : null;
    await sweepUnfinished(id, driver);
    await db().marketplace.update({
      where: { id },
      data: {
        ...(capacity && {
          totalBytes: BigInt(capacity.totalBytes),
          freeBytes: BigInt(capacity.freeBytes),
          usedBytes: BigInt(capacity.usedBytes),
        }),
        monitoredAt: new Date(),
        monitorError: "",
      },
    });
    return { error: "" };
  } catch (err) {
    const error = monitorErrorOf(err, market.name);
    await db().marketplace.update({ where: { id }, data: { monitoredAt: new Date(), monitorError: error } });
    return { error };
  }
}

/**
 * What a failed monitor shows: the backend's reason (it names the URL, bucket or directory).
 * A failure of the portal itself (its database) is logged, not shown: its text holds internals.
 */
function monitorErrorOf(err: unknown, name: string): string {
  if (err instanceof Error && "clientVersion" in err) {
    console.error(`[bazaar] monitoring marketplace ${name} failed:`, err);
    return "the result could not be saved (an internal error; the server log has the details)";
  }
  const message = (err instanceof Error && err.message) || String(err);
  return message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
}

/** The periodic monitor of one marketplace; a failure is stored and the job ends FAILED with it. */
export const monitorMarketJob = defineJob({
  kind: "marketplace.monitor",
  schema: z.object({ marketplaceId: z.number().int().positive() }),
  maxAttempts: 1,
  async run(job) {
    const { error } = await measureMarketplace(job.payload.marketplaceId);
    if (error) throw new PermanentJobError(error);
  },
});

/**
 * Queues a monitor job for every enabled marketplace of the zone whose turn has come. The
 * turn is claimed by a conditional update of `monitorDueAt`, so several workers sharing the
 * database queue each monitor once.
 */
export async function scheduleMarketMonitors(zoneId: number): Promise<number> {
  const now = new Date();
  const due = await db().marketplace.findMany({
    where: { zoneId, enabled: true, monitorDueAt: { lte: now } },
    select: { id: true, name: true, monitorDueAt: true },
  });
  let queued = 0;
  for (const m of due) {
    const next = new Date(now.getTime() + getConfig().marketMonitorSeconds * 1000);
    const claimed = await db().marketplace.updateMany({
      where: { id: m.id, monitorDueAt: m.monitorDueAt },
      data: { monitorDueAt: next },
    });
    if (claimed.count !== 1) continue;
    await enqueueJob(db(), monitorMarketJob, {
      zoneId,
      payload: { marketplaceId: m.id },
      title: `Monitor marketplace ${m.name}`,
      objectType: "MARKETPLACE",
      objectId: m.id,
    });
    queued++;
  }
  return queued;
}

/** "Monitor now" from the console or the API: runs at once and answers with the result. */
export async function monitorMarketplaceNow({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const market = await findMarketplace(ctx, input.id, "update");
  if (market.zoneId !== ctx.zone.id)
    throw new AppError("WRONG_ZONE", `Marketplace ${market.name} is monitored by its own zone, ${market.zone.name}`);
  // a disabled catalog is not synced: its apps stay as they were until it is enabled
  if (!market.enabled && isPublicDriver(market.driver))
    throw new AppError("WRONG_STATE", `Marketplace ${market.name} is disabled: enable it to sync its catalog`);
  await measureMarketplace(market.id);
  return marketplaceDtoFor(ctx, await findMarketplace(ctx, input.id));
}
