import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError, forbidden, invalid, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { assertAdminsRemain } from "@/lib/users/guards";
import { ADMINS_GROUP } from "./builtin";
import { loadGroupDetail } from "./get-group";

export async function addGroupMember({ ctx, input }: { ctx: Ctx; input: { id: number; userId: number } }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may change group membership");
  return db().$transaction(async (tx) => {
    const group = await tx.group.findUnique({ where: { id: input.id } });
    if (!group) throw notFound(`Group ${input.id}`);
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw invalid("userId", `no user with id ${input.userId}`);
    await tx.groupMembership.upsert({
      where: { userId_groupId: { userId: user.id, groupId: group.id } },
      create: { userId: user.id, groupId: group.id },
      update: {},
    });
    await recordAudit(
      { ...ctx, tx },
      {
        action: "group.add-member",
        objectType: "GROUP",
        objectId: group.id,
        objectName: group.name,
        details: { userId: user.id, username: user.username },
      },
    );
    return loadGroupDetail(tx, group.id);
  });
}

export async function removeGroupMember({ ctx, input }: { ctx: Ctx; input: { id: number; userId: number } }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may change group membership");
  return db().$transaction(async (tx) => {
    const group = await tx.group.findUnique({ where: { id: input.id } });
    if (!group) throw notFound(`Group ${input.id}`);
    const membership = await tx.groupMembership.findUnique({
      where: { userId_groupId: { userId: input.userId, groupId: group.id } },
      include: { user: true },
    });
    if (!membership) throw notFound(`User ${input.userId} in group ${group.name}`);
    if (membership.user.primaryGroupId === group.id) {
      throw new AppError(
        "CONFLICT",
        `This is ${membership.user.username}'s primary group; change their primary group first`,
      );
    }
    if (group.name === ADMINS_GROUP && membership.user.enabled) await assertAdminsRemain(tx, input.userId);
    await tx.groupMembership.delete({ where: { userId_groupId: { userId: input.userId, groupId: group.id } } });
    await recordAudit(
      { ...ctx, tx },
      {
        action: "group.remove-member",
        objectType: "GROUP",
        objectId: group.id,
        objectName: group.name,
        details: { userId: input.userId, username: membership.user.username },
      },
    );
    return loadGroupDetail(tx, group.id);
  });
}
