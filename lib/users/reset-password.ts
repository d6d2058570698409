import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { forbidden, notFound } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";

/** An admin sets a user's password; the user's sessions end. */
export async function resetPassword({ ctx, input }: { ctx: Ctx; input: { id: number; password: string } }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may reset passwords");
  const passwordHash = await hashPassword(input.password);
  await db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.id } });
    if (!user) throw notFound(`User ${input.id}`);
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(
      { ...ctx, tx },
      { action: "user.reset-password", objectType: "USER", objectId: user.id, objectName: user.username },
    );
  });
}
