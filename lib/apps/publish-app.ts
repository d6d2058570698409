import { reserveTransferSlot } from "@/lib/quotas/reserve-transfer";
import { db } from "@/lib/db/client";
import { subjectOf, type Ctx, type DbLike } from "@/lib/auth/context";
import { AppError, conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { appRights, type Rights } from "@/lib/permissions/rights";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { findImage } from "@/lib/images/find-image";
import { appKey } from "@/lib/markets/app-key";
import { appInclude, appJobs, packTags, toAppDto } from "./app-dto";
import { holdImage } from "./image-hold";
import { publishAppJob } from "./publish-app-job";
import { checkVmTemplate } from "./vm-template-text";
import { claimAppName, publishTarget } from "./publish-target";
import { publishComposite, type PublishCompositeInput } from "./publish-composite";

/** What publishComposite takes, plus the image and the VM template text an IMAGE app carries. */
export interface PublishAppInput extends PublishCompositeInput {
  imageId?: number;
  vmTemplate: string;
}

/**
 * Publishes an image as an IMAGE app (VM and service templates go to publishComposite). Unlike OpenNebula, which checks only the create right,
 * this needs USE on the image and on the marketplace too; the marketplace must be enabled and
 * of this zone. The app is LOCKED and the image USED until the publish job ends.
 */
export async function publishApp({ ctx, input }: { ctx: Ctx; input: PublishAppInput }) {
  if (!ctx.user.createRights.includes("MARKETPLACE_APP"))
    throw forbidden("Your groups may not publish apps; ask an administrator for the create right");
  if (input.imageId === undefined) return publishComposite({ ctx, input });
  checkVmTemplate(input.vmTemplate);
  const image = await findImage(ctx, input.imageId, "publish");
  if (image.state !== "READY" && image.state !== "USED")
    throw new AppError("WRONG_STATE", `Image ${image.name} is ${image.state}; only READY images can be published`, {
      invalidParams: [{ name: "imageId", reason: `is ${image.state}` }],
    });
  const market = await publishTarget(ctx, input.marketplaceId, Number(image.sizeBytes));
  try {
    const app = await db().$transaction(async (tx) => {
      await reserveTransferSlot(tx, ctx, "imageId");
      await claimAppName(tx, market, input.name);
      if (!(await holdImage(tx, image.id))) throw new AppError("WRONG_STATE", `Image ${image.name} is no longer READY`);
      const row = await createImageApp(tx, ctx, { market, image, input });
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
    return toAppDto(app, subjectOf(ctx), jobs.get(app.id) ?? null);
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict("name", `marketplace ${market.name} already has an app named "${input.name}"`);
    throw err;
  }
}

/** The IMAGE app, LOCKED until its publish job has uploaded the image; its key made from its id. */
async function createImageApp(
  tx: DbLike,
  ctx: Ctx,
  { market, image, input }: { market: Rights & { id: number }; image: ImageRow; input: PublishAppInput },
) {
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
      ...appRights(subjectOf(ctx), ctx.user.umask, market),
    },
  });
  return tx.marketplaceApp.update({
    where: { id: created.id },
    data: { storageKey: appKey(created.id) },
    include: appInclude,
  });
}

type ImageRow = Awaited<ReturnType<typeof findImage>>;
