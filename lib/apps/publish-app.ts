import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError, conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { sharedRights } from "@/lib/permissions/rights";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { findImage } from "@/lib/images/find-image";
import { formatBytes } from "@/lib/format/bytes";
import { appKey } from "@/lib/markets/app-key";
import { findMarketplace } from "@/lib/markets/find-marketplace";
import { MARKET_DRIVER_CAPABILITIES } from "@/lib/markets/drivers/registry";
import type { MarketDriverName } from "@/lib/markets/drivers/config";
import { appInclude, appJobs, packTags, toAppDto } from "./app-dto";
import { holdImage } from "./image-hold";
import { publishAppJob } from "./jobs";
import { checkVmTemplate } from "./vm-template-text";

export interface PublishAppInput {
  marketplaceId: number;
  imageId: number;
  name: string;
  version: string;
  description: string;
  tags: string[];
  hypervisor: string;
  architecture: string;
  vmTemplate: string;
}

/**
 * Publishes an image as an IMAGE app. Unlike OpenNebula, which checks only the create right,
 * this needs USE on the image and on the marketplace too; the marketplace must be enabled and
 * of this zone. The app is LOCKED and the image USED until the publish job ends.
 */
export async function publishApp({ ctx, input }: { ctx: Ctx; input: PublishAppInput }) {
  if (!ctx.user.createRights.includes("MARKETPLACE_APP"))
    throw forbidden("Your groups may not publish apps; ask an administrator for the create right");
  checkVmTemplate(input.vmTemplate);
  const image = await findImage(ctx, input.imageId, "publish");
  if (image.state !== "READY" && image.state !== "USED")
    throw new AppError("WRONG_STATE", `Image ${image.name} is ${image.state}; only READY images can be published`, {
      invalidParams: [{ name: "imageId", reason: `is ${image.state}` }],
    });
  const market = await findMarketplace(ctx, input.marketplaceId, "use");
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
  if (market.freeBytes !== null && image.sizeBytes > market.freeBytes)
    throw new AppError(
      "NO_SPACE",
      `not enough space in marketplace ${market.name}: need ${formatBytes(Number(image.sizeBytes))}, free ${formatBytes(Number(market.freeBytes))}`,
      {
        invalidParams: [{ name: "marketplaceId", reason: "does not have the room" }],
      },
    );
  const taken = () => conflict("name", `marketplace ${market.name} already has an app named "${input.name}"`);
  try {
    const app = await db().$transaction(async (tx) => {
      if (await tx.marketplaceApp.findFirst({ where: { marketplaceId: market.id, name: input.name } })) throw taken();
      if (!(await tx.marketplace.findFirst({ where: { id: market.id, enabled: true } })))
        throw new AppError("WRONG_STATE", `Marketplace ${market.name} is disabled`);
      if (!(await holdImage(tx, image.id))) throw new AppError("WRONG_STATE", `Image ${image.name} is no longer READY`);
      const created = await tx.marketplaceApp.create({
        data: {
          name: input.name,
          marketplaceId: market.id,
          zoneId: ctx.zone.id,
          type: "IMAGE",
          state: "LOCKED",
          description: input.description,
          version: input.version,
          publisher: ctx.user.displayName || ctx.user.username,
          tags: packTags(input.tags),
          hypervisor: input.hypervisor,
          architecture: input.architecture,
          format: image.format,
          imageTemplate: JSON.stringify({ type: image.type, description: image.description }),
          vmTemplate: input.vmTemplate,
          originImageId: image.id,
          ownerId: ctx.user.id,
          groupId: ctx.user.primaryGroupId,
          ...sharedRights(subjectOf(ctx), ctx.user.umask),
        },
      });
      const row = await tx.marketplaceApp.update({
        where: { id: created.id },
        data: { storageKey: appKey(created.id) },
        include: appInclude,
      });
      await enqueueJob(tx, publishAppJob, {
        zoneId: ctx.zone.id,
        payload: { appId: row.id, imageId: image.id },
        title: `Publish ${image.name} to ${market.name} as ${row.name}`,
        objectType: "MARKETPLACE_APP",
        objectId: row.id,
        createdById: ctx.user.id,
        bytesTotal: Number(image.sizeBytes),
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "app.publish",
          objectType: "MARKETPLACE_APP",
          objectId: row.id,
          objectName: row.name,
          details: { marketplaceId: market.id, imageId: image.id, version: input.version },
        },
      );
      return row;
    });
    const jobs = await appJobs(db(), [app.id]);
    return toAppDto(app, jobs.get(app.id) ?? null);
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}
