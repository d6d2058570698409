import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { toTokenDto } from "./token-dto";

export async function listTokens({ ctx }: { ctx: Ctx }) {
  const rows = await db().apiToken.findMany({ where: { userId: ctx.user.id }, orderBy: { createdAt: "desc" } });
  return { items: rows.map(toTokenDto) };
}
