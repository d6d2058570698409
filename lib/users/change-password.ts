import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";

/** A user changes their own password; their other sessions end, this one stays. */
export async function changePassword({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { currentPassword: string; newPassword: string };
}) {
  const user = await db().user.findUniqueOrThrow({ where: { id: ctx.user.id } });
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("INVALID", "The current password is wrong", {
      invalidParams: [{ name: "currentPassword", reason: "is wrong" }],
    });
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError("INVALID", "The new password must differ from the current one", {
      invalidParams: [{ name: "newPassword", reason: "must differ from the current password" }],
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
    await tx.session.deleteMany({
      where: { userId: user.id, ...(ctx.sessionId ? { id: { not: ctx.sessionId } } : {}) },
    });
    await recordAudit(
      { ...ctx, tx },
      { action: "user.change-password", objectType: "USER", objectId: user.id, objectName: user.username },
    );
  });
}
