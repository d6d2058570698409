import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { findMarketplace } from "@/lib/markets/find-marketplace";
import { toCatalogTokenDto } from "./catalog-token-dto";

/** The read tokens of a marketplace's catalog (MANAGE on the marketplace), newest first. */
export async function listCatalogTokens({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const market = await findMarketplace(ctx, input.id, "serveCatalog");
  const rows = await (ctx.tx ?? db()).catalogToken.findMany({
    where: { marketplaceId: market.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return { items: rows.map(toCatalogTokenDto) };
}
