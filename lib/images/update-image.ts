import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError, conflict, invalid, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { findImage } from "./find-image";
import { imageInclude, latestJobs, toImageDto } from "./image-dto";
import { TYPES_BY_DATASTORE } from "./image-rules";

export interface UpdateImageInput {
  id: number;
  name?: string;
  description?: string;
  type?: "OS" | "CDROM" | "DATABLOCK" | "KERNEL" | "RAMDISK" | "CONTEXT";
  enabled?: boolean;
}

/** Edits metadata; enable/disable moves READY ⇄ DISABLED (other states are refused, not ignored). */
export async function updateImage({ ctx, input }: { ctx: Ctx; input: UpdateImageInput }) {
  const { id, enabled, ...fields } = input;
  const op = enabled === undefined ? "update" : enabled ? "enable" : "disable";
  try {
    const updated = await db().$transaction(async (tx) => {
      const img = await findImage({ ...ctx, tx }, id, op);
      let state = img.state;
      if (enabled === false && img.state !== "DISABLED") {
        if (img.state !== "READY")
          throw new AppError("WRONG_STATE", `Only READY images can be disabled; image ${img.name} is ${img.state}`);
        state = "DISABLED";
      }
      if (enabled === true && img.state !== "READY") {
        if (img.state !== "DISABLED")
          throw new AppError("WRONG_STATE", `Only DISABLED images can be enabled; image ${img.name} is ${img.state}`);
        state = "READY";
      }
      if (fields.type) {
        const ds = await tx.datastore.findUniqueOrThrow({ where: { id: img.datastoreId } });
        if (!TYPES_BY_DATASTORE[ds.type]?.includes(fields.type))
          throw invalid("type", `a ${ds.type} datastore takes ${TYPES_BY_DATASTORE[ds.type].join(", ")} images`);
      }
      if (
        fields.name &&
        fields.name !== img.name &&
        (await tx.image.findFirst({ where: { ownerId: img.ownerId, name: fields.name } }))
      ) {
        throw conflict("name", `the owner already has an image named "${fields.name}"`);
      }
      const row = await tx.image.update({ where: { id }, data: { ...fields, state }, include: imageInclude });
      await recordAudit(
        { ...ctx, tx },
        {
          action: enabled === false ? "image.disable" : enabled === true ? "image.enable" : "image.update",
          objectType: "IMAGE",
          objectId: id,
          objectName: row.name,
          details: { ...fields, ...(enabled !== undefined ? { enabled } : {}) },
        },
      );
      return row;
    });
    const jobs = await latestJobs(db(), [updated.id]);
    return toImageDto(updated, subjectOf(ctx), jobs.get(updated.id) ?? null);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `the owner already has an image named "${fields.name}"`);
    throw err;
  }
}
