import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { findMarketplace } from "./find-marketplace";
import { toMarketplaceDto, type MarketplaceRow } from "./market-dto";

export async function marketplaceDtoFor(ctx: Ctx, row: MarketplaceRow) {
  const count = await (ctx.tx ?? db()).marketplaceApp.count({ where: { marketplaceId: row.id } });
  return toMarketplaceDto(row, { subject: subjectOf(ctx), zoneId: ctx.zone.id }, count);
}

export async function getMarketplace({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  return marketplaceDtoFor(ctx, await findMarketplace(ctx, input.id));
}
