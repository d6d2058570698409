import type { DbLike } from "@/lib/auth/context";
import { hashPassword } from "@/lib/auth/password";
import { ADMINS_GROUP, USERS_GROUP } from "@/lib/groups/builtin";
import { DEFAULT_GROUP_CREATE_RIGHTS, type ResourceType } from "@/lib/permissions/resources";

/** Seed helpers: idempotent, used by the first start and by tests. */
export async function seedZone(db: DbLike, name: string) {
  return db.zone.upsert({ where: { name }, create: { name }, update: {} });
}

export async function seedGroup(
  db: DbLike,
  name: string,
  opts: { builtin?: boolean; createRights?: ResourceType[]; description?: string } = {},
) {
  const existing = await db.group.findUnique({ where: { name } });
  if (existing) return existing;
  return db.group.create({
    data: {
      name,
      builtin: opts.builtin ?? false,
      description: opts.description ?? "",
      createRights: { create: (opts.createRights ?? DEFAULT_GROUP_CREATE_RIGHTS).map((resource) => ({ resource })) },
    },
  });
}

export async function seedBuiltinGroups(db: DbLike) {
  const admins = await seedGroup(db, ADMINS_GROUP, {
    builtin: true,
    createRights: [],
    description: "Administrators: may do anything",
  });
  const users = await seedGroup(db, USERS_GROUP, { builtin: true, description: "Default group of new users" });
  return { admins, users };
}

export async function seedUser(
  db: DbLike,
  input: { username: string; password: string; groups: string[]; enabled?: boolean; displayName?: string },
) {
  const groups = await db.group.findMany({ where: { name: { in: input.groups } } });
  if (groups.length !== input.groups.length) throw new Error(`Unknown group in ${input.groups.join(", ")}`);
  const primary = groups.find((g) => g.name === input.groups[0])!;
  return db.user.create({
    data: {
      username: input.username,
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName ?? "",
      enabled: input.enabled ?? true,
      primaryGroupId: primary.id,
      memberships: { create: groups.map((g) => ({ groupId: g.id })) },
    },
  });
}
