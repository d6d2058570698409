import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError, conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { initialRights } from "@/lib/permissions/rights";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { findDatastore } from "@/lib/datastores/find-datastore";
import { measureCapacity, noSpaceMessage } from "@/lib/datastores/measure-capacity";
import { imageInclude, latestJobs, toImageDto } from "@/lib/images/image-dto";
import { TYPES_BY_DATASTORE } from "@/lib/images/image-rules";
import { MARKET_DRIVER_CAPABILITIES } from "@/lib/markets/drivers/registry";
import type { MarketDriverName } from "@/lib/markets/drivers/config";
import { findApp } from "./find-app";
import { importAppJob } from "./jobs";

/**
 * Imports a READY app into a datastore of the local zone (OpenNebula's "export"): USE on the
 * app (which OpenNebula never checks) and on the datastore, the image create right, an
 * enabled marketplace, and room for the app's bytes. The new image records the app it came
 * from and is LOCKED until the import job has streamed and verified every byte.
 */
export async function importApp({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number; datastoreId: number; name: string };
}) {
  const app = await findApp(ctx, input.id, "import");
  if (app.state !== "READY")
    throw new AppError("WRONG_STATE", `App ${app.name} is ${app.state}; only READY apps can be imported`);
  if (app.type !== "IMAGE")
    throw new AppError("WRONG_STATE", `App ${app.name} is a ${app.type} app; only IMAGE apps can be imported yet`);
  if (!app.marketplace.enabled)
    throw new AppError("WRONG_STATE", `Marketplace ${app.marketplace.name} is disabled; its apps cannot be imported`);
  if (!MARKET_DRIVER_CAPABILITIES[app.marketplace.driver as MarketDriverName]?.read)
    throw new AppError("WRONG_STATE", `Marketplace ${app.marketplace.name} cannot serve app bytes`);
  if (!ctx.user.createRights.includes("IMAGE")) throw forbidden("Your groups may not create images");
  const ds = await findDatastore(ctx, input.datastoreId, "use");
  if (!ds.enabled)
    throw new AppError("WRONG_STATE", `Datastore ${ds.name} is disabled`, {
      invalidParams: [{ name: "datastoreId", reason: "is disabled" }],
    });
  const type = (JSON.parse(app.imageTemplate) as { type?: string }).type ?? "OS";
  if (!TYPES_BY_DATASTORE[ds.type]?.includes(type))
    throw new AppError("INVALID", `A ${ds.type} datastore does not take ${type} images`, {
      invalidParams: [{ name: "datastoreId", reason: `does not take ${type} images` }],
    });
  const { capacity } = await measureCapacity(ds);
  if (Number(app.sizeBytes) > capacity.freeBytes)
    throw new AppError("NO_SPACE", noSpaceMessage(ds.name, Number(app.sizeBytes), capacity.freeBytes), {
      invalidParams: [{ name: "datastoreId", reason: "does not have the room" }],
    });
  const taken = () => conflict("name", `you already have an image named "${input.name}"`);
  try {
    const img = await db().$transaction(async (tx) => {
      if (await tx.image.findFirst({ where: { ownerId: ctx.user.id, name: input.name } })) throw taken();
      const created = await tx.image.create({
        data: {
          name: input.name,
          zoneId: ctx.zone.id,
          datastoreId: ds.id,
          type,
          description: app.description,
          origin: "APP",
          fromAppId: app.id,
          sourceUrl: app.source,
          expectedMd5: app.md5,
          expectedSha256: app.sha256,
          state: "LOCKED",
          ownerId: ctx.user.id,
          groupId: ctx.user.primaryGroupId,
          ...initialRights(subjectOf(ctx), ctx.user.umask),
        },
        include: imageInclude,
      });
      await enqueueJob(tx, importAppJob, {
        zoneId: ctx.zone.id,
        payload: { appId: app.id, imageId: created.id },
        title: `Import app ${app.name} from ${app.marketplace.name} into ${ds.name}`,
        objectType: "IMAGE",
        objectId: created.id,
        createdById: ctx.user.id,
        bytesTotal: Number(app.sizeBytes),
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "app.import",
          objectType: "MARKETPLACE_APP",
          objectId: app.id,
          objectName: app.name,
          details: { imageId: created.id, datastoreId: ds.id, name: input.name },
        },
      );
      return created;
    });
    const jobs = await latestJobs(db(), [img.id]);
    return toImageDto(img, jobs.get(img.id) ?? null);
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}
