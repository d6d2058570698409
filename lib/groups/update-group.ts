import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError, conflict, forbidden, isUniqueViolation, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { ResourceType } from "@/lib/permissions/resources";
import { ADMINS_GROUP } from "./builtin";
import { loadGroupDetail } from "./get-group";

export async function updateGroup({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number; name?: string; description?: string; createRights?: ResourceType[] };
}) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may edit groups");
  const { id, createRights, ...fields } = input;
  try {
    return await db().$transaction(async (tx) => {
      const group = await tx.group.findUnique({ where: { id } });
      if (!group) throw notFound(`Group ${id}`);
      if (group.builtin && fields.name !== undefined && fields.name !== group.name) {
        throw new AppError("CONFLICT", `The built-in group "${group.name}" cannot be renamed`, {
          invalidParams: [{ name: "name", reason: "built-in groups keep their name" }],
        });
      }
      if (group.name === ADMINS_GROUP && createRights) {
        throw new AppError("CONFLICT", "Admins may create everything; their rights cannot be changed", {
          invalidParams: [{ name: "createRights", reason: "fixed for the admins group" }],
        });
      }
      if (fields.name && fields.name !== group.name && (await tx.group.findUnique({ where: { name: fields.name } }))) {
        throw conflict("name", `a group named "${fields.name}" exists`);
      }
      await tx.group.update({ where: { id }, data: fields });
      if (createRights) {
        await tx.groupCreateRight.deleteMany({ where: { groupId: id } });
        for (const resource of new Set(createRights))
          await tx.groupCreateRight.create({ data: { groupId: id, resource } });
      }
      await recordAudit(
        { ...ctx, tx },
        {
          action: "group.update",
          objectType: "GROUP",
          objectId: id,
          objectName: fields.name ?? group.name,
          details: { ...fields, ...(createRights ? { createRights } : {}) },
        },
      );
      return loadGroupDetail(tx, id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `a group named "${fields.name}" exists`);
    throw err;
  }
}
