import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { recordAudit } from "@/lib/audit/record-audit";
import { loadCtxUser } from "@/lib/auth/load-user";
import { toMeDto } from "./user-dto";

export async function updateProfile({ ctx, input }: { ctx: Ctx; input: { displayName?: string; email?: string } }) {
  await db().user.update({ where: { id: ctx.user.id }, data: input });
  await recordAudit(ctx, {
    action: "user.update-profile",
    objectType: "USER",
    objectId: ctx.user.id,
    objectName: ctx.user.username,
    details: input,
  });
  const fresh = await loadCtxUser(db(), ctx.user.id);
  return toMeDto(db(), fresh ?? ctx.user);
}
