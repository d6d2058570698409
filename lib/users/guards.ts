import type { DbLike } from "@/lib/auth/context";
import { AppError, invalid } from "@/lib/errors";
import { ADMINS_GROUP, USERS_GROUP } from "@/lib/groups/builtin";

/** Refuses a change that would leave no enabled member in the admins group. */
export async function assertAdminsRemain(tx: DbLike, excludingUserId: number): Promise<void> {
  const others = await tx.user.count({
    where: {
      id: { not: excludingUserId },
      enabled: true,
      memberships: { some: { group: { name: ADMINS_GROUP } } },
    },
  });
  if (others === 0) {
    throw new AppError("CONFLICT", "This is the last enabled administrator; make another user an admin first");
  }
}

/** Checks that every group id exists; returns them de-duplicated. */
export async function existingGroupIds(tx: DbLike, ids: number[], field: string): Promise<number[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  const found = await tx.group.findMany({ where: { id: { in: unique } }, select: { id: true } });
  const missing = unique.filter((id) => !found.some((g) => g.id === id));
  if (missing.length) throw invalid(field, `no group with id ${missing.join(", ")}`);
  return unique;
}

export async function defaultGroupId(tx: DbLike): Promise<number> {
  const group = await tx.group.findUnique({ where: { name: USERS_GROUP } });
  if (!group) throw new Error(`The built-in group "${USERS_GROUP}" is missing`);
  return group.id;
}

export async function adminsGroupId(tx: DbLike): Promise<number> {
  const group = await tx.group.findUnique({ where: { name: ADMINS_GROUP } });
  if (!group) throw new Error(`The built-in group "${ADMINS_GROUP}" is missing`);
  return group.id;
}
