import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { DEFAULT_GROUP_CREATE_RIGHTS, type ResourceType } from "@/lib/permissions/resources";
import { loadGroupDetail } from "./get-group";

export async function createGroup({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { name: string; description: string; createRights?: ResourceType[] };
}) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may create groups");
  const rights = [...new Set(input.createRights ?? DEFAULT_GROUP_CREATE_RIGHTS)];
  try {
    return await db().$transaction(async (tx) => {
      if (await tx.group.findUnique({ where: { name: input.name } })) {
        throw conflict("name", `a group named "${input.name}" exists`);
      }
      const group = await tx.group.create({
        data: {
          name: input.name,
          description: input.description,
          createRights: { create: rights.map((resource) => ({ resource })) },
        },
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "group.create",
          objectType: "GROUP",
          objectId: group.id,
          objectName: group.name,
          details: { createRights: rights },
        },
      );
      return loadGroupDetail(tx, group.id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `a group named "${input.name}" exists`);
    throw err;
  }
}
