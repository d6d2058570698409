import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { findMarketplace } from "@/lib/markets/find-marketplace";

/** Revokes a read token of a marketplace's catalog (MANAGE); it stops working at once. */
export async function revokeCatalogToken({ ctx, input }: { ctx: Ctx; input: { id: number; tokenId: number } }) {
  const market = await findMarketplace(ctx, input.id, "serveCatalog");
  await db().$transaction(async (tx) => {
    const row = await tx.catalogToken.findFirst({ where: { id: input.tokenId, marketplaceId: market.id } });
    if (!row) throw notFound(`Catalog token ${input.tokenId}`);
    await tx.catalogToken.delete({ where: { id: row.id } });
    await recordAudit(
      { ...ctx, tx },
      {
        action: "marketplace.catalog_token.revoke",
        objectType: "MARKETPLACE",
        objectId: market.id,
        objectName: market.name,
        details: { tokenId: row.id, name: row.name, prefix: row.prefix },
      },
    );
  });
}
