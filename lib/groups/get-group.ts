import { db } from "@/lib/db/client";
import type { Ctx, DbLike } from "@/lib/auth/context";
import { notFound } from "@/lib/errors";
import { groupDetailInclude, toGroupDetailDto } from "./group-dto";

export async function loadGroupDetail(client: DbLike, id: number) {
  const group = await client.group.findUnique({ where: { id }, include: groupDetailInclude });
  if (!group) throw notFound(`Group ${id}`);
  return toGroupDetailDto(group);
}

/** Admins see every group; others only groups they belong to (404 otherwise). */
export async function getGroup({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  if (!ctx.user.isAdmin && !ctx.user.groupIds.includes(input.id)) throw notFound(`Group ${input.id}`);
  return loadGroupDetail(db(), input.id);
}
