import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import type { Ctx } from "@/lib/auth/context";
import { groupInclude, toGroupDto } from "./group-dto";

interface Input {
  page: number;
  perPage: number;
  sort: "id" | "name" | "createdAt";
  order: "asc" | "desc";
  q?: string;
}

/** Admins see every group; other users the groups they belong to. */
export async function listGroups({ ctx, input }: { ctx: Ctx; input: Input }) {
  const where: Prisma.GroupWhereInput = {
    ...(ctx.user.isAdmin ? {} : { id: { in: ctx.user.groupIds } }),
    ...(input.q ? { OR: [{ name: containsInsensitive(input.q) }, { description: containsInsensitive(input.q) }] } : {}),
  };
  const [rows, total] = await Promise.all([
    db().group.findMany({
      where,
      include: groupInclude,
      orderBy: [{ [input.sort]: input.order }, { id: "asc" }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().group.count({ where }),
  ]);
  return { items: rows.map(toGroupDto), total, page: input.page, perPage: input.perPage };
}
