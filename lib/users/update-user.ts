import type { z } from "zod";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import type { updateUser as op } from "@/lib/api/operations/users";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { adminsGroupId, assertAdminsRemain, existingGroupIds } from "./guards";
import { toUserDto, userInclude } from "./user-dto";

type Input = z.output<NonNullable<typeof op.body>> & { id: number };

/**
 * Edits a user. `groupIds` is the full set of groups; the primary group is always kept in it.
 * Disabling a user ends their sessions; nobody can disable or demote the last admin.
 */
export async function updateUser({ ctx, input }: { ctx: Ctx; input: Input }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may edit users");
  const { id, groupIds, primaryGroupId, ...fields } = input;
  return db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id }, include: { memberships: true } });
    if (!user) throw notFound(`User ${id}`);
    if (fields.enabled === false && id === ctx.user.id) {
      throw new AppError("CONFLICT", "You cannot disable your own account", {
        invalidParams: [{ name: "enabled", reason: "you cannot disable yourself" }],
      });
    }
    const primary = primaryGroupId
      ? (await existingGroupIds(tx, [primaryGroupId], "primaryGroupId"))[0]
      : user.primaryGroupId;
    const current = user.memberships.map((m) => m.groupId);
    const wanted = groupIds
      ? await existingGroupIds(tx, [primary, ...groupIds], "groupIds")
      : [...new Set([...current, primary])];
    const admins = await adminsGroupId(tx);
    const losesAdmin = current.includes(admins) && !wanted.includes(admins);
    if ((losesAdmin || fields.enabled === false) && current.includes(admins)) await assertAdminsRemain(tx, id);

    await tx.groupMembership.deleteMany({ where: { userId: id, groupId: { notIn: wanted } } });
    const toAdd = wanted.filter((g) => !current.includes(g));
    for (const groupId of toAdd) await tx.groupMembership.create({ data: { userId: id, groupId } });
    const updated = await tx.user.update({
      where: { id },
      data: { ...fields, primaryGroupId: primary },
      include: userInclude,
    });
    if (fields.enabled === false) await tx.session.deleteMany({ where: { userId: id } });
    await recordAudit(
      { ...ctx, tx },
      {
        action:
          fields.enabled === false
            ? "user.disable"
            : fields.enabled === true && !user.enabled
              ? "user.enable"
              : "user.update",
        objectType: "USER",
        objectId: id,
        objectName: user.username,
        details: { ...fields, primaryGroupId: primary, groupIds: wanted },
      },
    );
    return toUserDto(updated);
  });
}
