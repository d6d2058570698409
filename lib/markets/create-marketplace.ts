import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { sharedRights } from "@/lib/permissions/rights";
import type { CreateMarketplaceBody } from "@/lib/api/operations/marketplaces";
import { checkDriver } from "./check-driver";
import { sealSecrets } from "./market-spec";
import { marketplaceInclude } from "./market-dto";
import { marketplaceDtoFor } from "./get-marketplace";

/**
 * Creates a marketplace in the local zone (OpenNebula's ZONE_ID rule) after its backend
 * answered: a marketplace that cannot be reached is refused with the attribute at fault.
 */
export async function createMarketplace({ ctx, input }: { ctx: Ctx; input: CreateMarketplaceBody }) {
  if (!ctx.user.createRights.includes("MARKETPLACE")) {
    throw forbidden("Your groups may not create marketplaces; ask an administrator for the create right");
  }
  const secrets = input.driver === "s3" ? input.secrets : {};
  if (await db().marketplace.findUnique({ where: { name: input.name } }))
    throw conflict("name", `a marketplace named "${input.name}" exists`);
  const capacity = await checkDriver(ctx, { id: 0, driver: input.driver, config: input.config, secrets } as never);
  try {
    const row = await db().$transaction(async (tx) => {
      const created = await tx.marketplace.create({
        data: {
          name: input.name,
          description: input.description,
          enabled: input.enabled,
          zoneId: ctx.zone.id,
          driver: input.driver,
          config: JSON.stringify(input.config),
          secrets: sealSecrets(secrets),
          ...(capacity && {
            totalBytes: BigInt(capacity.totalBytes),
            freeBytes: BigInt(capacity.freeBytes),
            usedBytes: BigInt(capacity.usedBytes),
          }),
          monitoredAt: new Date(),
          ownerId: ctx.user.id,
          groupId: ctx.user.primaryGroupId,
          ...sharedRights(subjectOf(ctx), ctx.user.umask),
        },
        include: marketplaceInclude,
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "marketplace.create",
          objectType: "MARKETPLACE",
          objectId: created.id,
          objectName: created.name,
          // attributes only: secrets never reach the audit log
          details: { driver: input.driver, config: input.config },
        },
      );
      return created;
    });
    return marketplaceDtoFor(ctx, row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `a marketplace named "${input.name}" exists`);
    throw err;
  }
}
