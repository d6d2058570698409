import type { Ctx } from "@/lib/auth/context";
import { AppError, conflict } from "@/lib/errors";
import { formatBytes } from "@/lib/format/bytes";
import { findMarketplace } from "@/lib/markets/find-marketplace";
import { MARKET_DRIVER_CAPABILITIES } from "@/lib/markets/drivers/registry";
import type { MarketDriverName } from "@/lib/markets/drivers/config";
import type { DbLike } from "@/lib/auth/context";

/**
 * The marketplace a publish writes into: USE on it, enabled, of this zone, a driver that
 * takes new apps, and (when monitored) room for `bytes`.
 */
export async function publishTarget(ctx: Ctx, marketplaceId: number, bytes: number) {
  const market = await findMarketplace(ctx, marketplaceId, "use");
  if (market.zoneId !== ctx.zone.id)
    throw new AppError("WRONG_ZONE", `Marketplace ${market.name} belongs to zone ${market.zone.name}; publish there`, {
      invalidParams: [{ name: "marketplaceId", reason: "is not in this zone" }],
    });
  if (!market.enabled)
    throw new AppError("WRONG_STATE", `Marketplace ${market.name} is disabled`, {
      invalidParams: [{ name: "marketplaceId", reason: "is disabled" }],
    });
  if (!MARKET_DRIVER_CAPABILITIES[market.driver as MarketDriverName]?.create)
    throw new AppError("WRONG_STATE", `Marketplace ${market.name} does not accept new apps`);
  if (market.freeBytes !== null && bytes > market.freeBytes)
    throw new AppError(
      "NO_SPACE",
      `not enough space in marketplace ${market.name}: need ${formatBytes(bytes)}, free ${formatBytes(Number(market.freeBytes))}`,
      { invalidParams: [{ name: "marketplaceId", reason: "does not have the room" }] },
    );
  return market;
}

/** Inside the publish transaction: the marketplace is still enabled and `name` is free. */
export async function claimAppName(tx: DbLike, market: { id: number; name: string }, name: string) {
  if (await tx.marketplaceApp.findFirst({ where: { marketplaceId: market.id, name }, select: { id: true } }))
    throw conflict("name", `marketplace ${market.name} already has an app named "${name}"`);
  if (!(await tx.marketplace.findFirst({ where: { id: market.id, enabled: true }, select: { id: true } })))
    throw new AppError("WRONG_STATE", `Marketplace ${market.name} is disabled`);
}

/**
 * A name no app of the marketplace has, built from `base` ("base", "base-2", …) and kept
 * within the 128 characters a name may have. `taken` holds names already chosen in this
 * publish.
 */
export async function freeAppName(tx: DbLike, marketplaceId: number, base: string, taken: Set<string>) {
  const stem = Array.from(base).slice(0, 120).join("").trim();
  for (let n = 1; ; n++) {
    const name = n === 1 ? stem : `${stem}-${n}`;
    if (taken.has(name)) continue;
    if (await tx.marketplaceApp.findFirst({ where: { marketplaceId, name }, select: { id: true } })) continue;
    taken.add(name);
    return name;
  }
}
