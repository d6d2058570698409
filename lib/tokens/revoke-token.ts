import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";

/** Revokes one of the acting user's tokens (another user's token is "not found"). */
export async function revokeToken({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  await db().$transaction(async (tx) => {
    const row = await tx.apiToken.findFirst({ where: { id: input.id, userId: ctx.user.id } });
    if (!row) throw notFound(`Token ${input.id}`);
    await tx.apiToken.delete({ where: { id: row.id } });
    await recordAudit(
      { ...ctx, tx },
      { action: "token.revoke", objectType: "API_TOKEN", objectId: row.id, objectName: row.name },
    );
  });
}
