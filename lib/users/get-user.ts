import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { notFound } from "@/lib/errors";
import { toUserDto, userInclude } from "./user-dto";

/** Admins see every user; others only themselves (anyone else is "not found"). */
export async function getUser({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  if (!ctx.user.isAdmin && ctx.user.id !== input.id) throw notFound(`User ${input.id}`);
  const user = await db().user.findUnique({ where: { id: input.id }, include: userInclude });
  if (!user) throw notFound(`User ${input.id}`);
  return toUserDto(user);
}
