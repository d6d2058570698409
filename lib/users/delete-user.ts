import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { ADMINS_GROUP } from "@/lib/groups/builtin";
import { countOwned } from "@/lib/permissions/owned-objects";
import { assertAdminsRemain } from "./guards";

/** Deletes a user with their sessions, tokens and memberships. */
export async function deleteUser({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may delete users");
  if (input.id === ctx.user.id) throw new AppError("CONFLICT", "You cannot delete your own account");
  await db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: input.id },
      include: { memberships: { include: { group: true } } },
    });
    if (!user) throw notFound(`User ${input.id}`);
    const owned = await countOwned(tx, { ownerId: user.id });
    if (owned.length) {
      throw new AppError("CONFLICT", `${user.username} still owns ${owned.join(", ")}; change their owner first`);
    }
    if (user.enabled && user.memberships.some((m) => m.group.name === ADMINS_GROUP))
      await assertAdminsRemain(tx, user.id);
    await tx.user.delete({ where: { id: user.id } });
    await recordAudit(
      { ...ctx, tx },
      { action: "user.delete", objectType: "USER", objectId: user.id, objectName: user.username },
    );
  });
}
