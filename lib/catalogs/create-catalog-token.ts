import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { conflict, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { findMarketplace } from "@/lib/markets/find-marketplace";
import { newCatalogTokenSecret } from "./catalog-token-secret";
import { toCatalogTokenDto } from "./catalog-token-dto";

const MAX_TOKENS = 50;

/**
 * A read token of a marketplace's catalog (MANAGE on the marketplace). The secret is returned
 * here and never again: only its sha256 is stored.
 */
export async function createCatalogToken({ ctx, input }: { ctx: Ctx; input: { id: number; name: string } }) {
  const market = await findMarketplace(ctx, input.id, "serveCatalog");
  const { token, prefix, secretHash } = newCatalogTokenSecret();
  const taken = () => conflict("name", `marketplace ${market.name} already has a catalog token named "${input.name}"`);
  try {
    return await db().$transaction(async (tx) => {
      if (await tx.catalogToken.findFirst({ where: { marketplaceId: market.id, name: input.name } })) throw taken();
      if ((await tx.catalogToken.count({ where: { marketplaceId: market.id } })) >= MAX_TOKENS)
        throw conflict("name", `marketplace ${market.name} has ${MAX_TOKENS} catalog tokens; revoke one first`);
      const row = await tx.catalogToken.create({
        data: { marketplaceId: market.id, name: input.name, prefix, secretHash, createdById: ctx.user.id },
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "marketplace.catalog_token.create",
          objectType: "MARKETPLACE",
          objectId: market.id,
          objectName: market.name,
          details: { tokenId: row.id, name: row.name, prefix },
        },
      );
      return { ...toCatalogTokenDto(row), token };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}
