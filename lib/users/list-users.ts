import type { z } from "zod";
import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import type { Ctx } from "@/lib/auth/context";
import type { listUsers as op } from "@/lib/api/operations/users";
import { forbidden } from "@/lib/errors";
import { toUserDto, userInclude } from "./user-dto";

type Input = z.output<NonNullable<typeof op.query>>;

export async function listUsers({ ctx, input }: { ctx: Ctx; input: Input }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may list users");
  const where: Prisma.UserWhereInput = {
    ...(input.groupId ? { memberships: { some: { groupId: input.groupId } } } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.q
      ? {
          OR: [
            { username: containsInsensitive(input.q) },
            { displayName: containsInsensitive(input.q) },
            { email: containsInsensitive(input.q) },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().user.findMany({
      where,
      include: userInclude,
      orderBy: [{ [input.sort]: input.order }, { id: "asc" }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().user.count({ where }),
  ]);
  return { items: rows.map(toUserDto), total, page: input.page, perPage: input.perPage };
}
