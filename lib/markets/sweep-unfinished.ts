import { db } from "@/lib/db/client";
import { APP_KEY } from "./app-key";
import type { MarketDriver } from "./drivers/types";

/**
 * Removes a marketplace's unfinished writes that no publish in progress owns. Only keys the
 * portal made are touched: a bucket may be shared with other marketplaces or other systems.
 */
export async function sweepUnfinished(marketplaceId: number, driver: MarketDriver): Promise<number> {
  const writing = await db().marketplaceApp.findMany({
    where: { marketplaceId, state: { in: ["INIT", "LOCKED"] } },
    select: { storageKey: true },
  });
  const keep = new Set(writing.map((a) => a.storageKey));
  return driver.abortStaleUploads((key) => !APP_KEY.test(key) || keep.has(key));
}
