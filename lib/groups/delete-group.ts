import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { countOwned } from "@/lib/permissions/owned-objects";

/** Deletes a group that is not built in and has no members. */
export async function deleteGroup({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may delete groups");
  await db().$transaction(async (tx) => {
    const group = await tx.group.findUnique({
      where: { id: input.id },
      include: { _count: { select: { members: true } } },
    });
    if (!group) throw notFound(`Group ${input.id}`);
    if (group.builtin) throw new AppError("CONFLICT", `The built-in group "${group.name}" cannot be deleted`);
    if (group._count.members > 0) {
      throw new AppError(
        "CONFLICT",
        `Group "${group.name}" still has ${group._count.members} member(s); remove them first`,
      );
    }
    const owned = await countOwned(tx, { groupId: group.id });
    if (owned.length)
      throw new AppError("CONFLICT", `Group "${group.name}" still has ${owned.join(", ")}; change their group first`);
    await tx.group.delete({ where: { id: group.id } });
    await recordAudit(
      { ...ctx, tx },
      { action: "group.delete", objectType: "GROUP", objectId: group.id, objectName: group.name },
    );
  });
}
