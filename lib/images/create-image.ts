import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError, conflict, forbidden, invalid, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { initialRights } from "@/lib/permissions/rights";
import { findDatastore } from "@/lib/datastores/find-datastore";
import { measureBackend } from "@/lib/datastores/measure-capacity";
import { hasSizeQuota } from "@/lib/quotas/check-quotas";
import { RESERVING, reserveImageTransfer } from "@/lib/quotas/reserve-transfer";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { checkUrlHost, openUrl, parseImportUrl, UrlRefusedError } from "@/lib/transfer/url-source";
import { imageInclude, toImageDto } from "./image-dto";
import { TYPES_BY_DATASTORE } from "./image-rules";
import { importUrlJob } from "./import-image-job";

type Common = {
  name: string;
  datastoreId: number;
  type: "OS" | "CDROM" | "DATABLOCK" | "KERNEL" | "RAMDISK" | "CONTEXT";
  description: string;
  expectedMd5: string;
  expectedSha256: string;
};
export type CreateImageInput =
  (Common & { source: "url"; url: string }) | (Common & { source: "upload"; size: number; filename: string });

/** Checks the URL's scheme and address now, so the user hears about a refused URL at once. */
async function vetUrl(raw: string): Promise<string> {
  try {
    const url = parseImportUrl(raw);
    await checkUrlHost(url);
    return url.toString();
  } catch (err) {
    if (err instanceof UrlRefusedError) throw invalid("url", err.message);
    throw err;
  }
}

/**
 * The length a URL announces, when a size quota applies to the user in this datastore (0 when
 * none does, or when the server does not say: the job then stops at the quota as it streams).
 */
async function urlLength(ctx: Ctx, datastoreId: number, url: string): Promise<number> {
  const owner = { userId: ctx.user.id, groupId: ctx.user.primaryGroupId, datastoreId };
  if (!(await hasSizeQuota(db(), owner))) return 0;
  try {
    const res = await openUrl(url, { timeoutMs: 10_000 });
    res.body.destroy();
    return res.length ?? 0;
  } catch {
    return 0; // the job reports what is wrong with the URL
  }
}

export async function createImage({ ctx, input }: { ctx: Ctx; input: CreateImageInput }) {
  if (!ctx.user.createRights.includes("IMAGE")) throw forbidden("Your groups may not create images");
  const ds = await findDatastore(ctx, input.datastoreId, "use");
  if (!ds.enabled)
    throw new AppError("WRONG_STATE", `Datastore ${ds.name} is disabled`, {
      invalidParams: [{ name: "datastoreId", reason: "is disabled" }],
    });
  if (!TYPES_BY_DATASTORE[ds.type]?.includes(input.type)) {
    throw invalid("type", `a ${ds.type} datastore takes ${TYPES_BY_DATASTORE[ds.type].join(", ")} images`);
  }
  const url = input.source === "url" ? await vetUrl(input.url) : "";
  // a URL's size is learnt now only when a size quota applies (else the job learns it)
  const bytes = input.source === "upload" ? input.size : await urlLength(ctx, ds.id, url);
  const backend = await measureBackend(ds);
  try {
    const created = await db().$transaction(async (tx) => {
      if (await tx.image.findFirst({ where: { ownerId: ctx.user.id, name: input.name } })) {
        throw conflict("name", `you already have an image named "${input.name}"`);
      }
      await reserveImageTransfer(tx, ctx, {
        ds,
        backend,
        bytes,
        images: 1,
        field: input.source === "upload" ? "size" : "url",
      });
      const img = await tx.image.create({
        data: {
          name: input.name,
          zoneId: ctx.zone.id,
          datastoreId: ds.id,
          type: input.type,
          description: input.description,
          expectedMd5: input.expectedMd5,
          expectedSha256: input.expectedSha256,
          origin: input.source === "url" ? "URL" : "UPLOAD",
          declaredBytes: input.source === "upload" ? BigInt(input.size) : null,
          reservedBytes: BigInt(bytes),
          sourceUrl: url,
          state: input.source === "url" ? "LOCKED" : "INIT",
          ownerId: ctx.user.id,
          groupId: ctx.user.primaryGroupId,
          ...initialRights(subjectOf(ctx), ctx.user.umask),
        },
        include: imageInclude,
      });
      if (input.source === "url") {
        await enqueueJob(tx, importUrlJob, {
          zoneId: ctx.zone.id,
          payload: { imageId: img.id },
          title: `Import ${img.name} from ${new URL(url).host} into ${ds.name}`,
          objectType: "IMAGE",
          objectId: img.id,
          createdById: ctx.user.id,
        });
      }
      await recordAudit(
        { ...ctx, tx },
        {
          action: "image.create",
          objectType: "IMAGE",
          objectId: img.id,
          objectName: img.name,
          details: { source: input.source, datastoreId: ds.id, type: input.type, ...(url ? { url } : {}) },
        },
      );
      return img;
    }, RESERVING);
    return toImageDto(created, subjectOf(ctx));
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `you already have an image named "${input.name}"`);
    throw err;
  }
}
