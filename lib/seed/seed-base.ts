import type { DbLike } from "@/lib/auth/context";
import { hashPassword } from "@/lib/auth/password";
import { isUniqueViolation } from "@/lib/errors";
import { ADMINS_GROUP, USERS_GROUP } from "@/lib/groups/builtin";
import { DEFAULT_GROUP_CREATE_RIGHTS, type ResourceType } from "@/lib/permissions/resources";

/**
 * Seed helpers: idempotent, used by the first start and by tests. The start-up runs them
 * under its lock; the zone and the groups are also safe without it (an instance of an
 * earlier version starting beside this one): a unique violation means another instance
 * created the row meanwhile, so the row is read instead.
 */

/**
 * The row `find` reads, created by `create` when missing. Outside a transaction only: on
 * PostgreSQL the unique violation would abort the caller's transaction.
 */
async function findOrCreate<T>(find: () => Promise<T | null>, create: () => Promise<T>): Promise<T> {
  const existing = await find();
  if (existing) return existing;
  try {
    return await create();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const created = await find();
    if (!created) throw err;
    return created;
  }
}

/**
 * The zone `name`, with its endpoint: `endpoint.set` replaces the stored one (an instance
 * with BAZAAR_PUBLIC_URL knows where it is), `endpoint.fallback` is stored only when none is.
 */
export async function seedZone(db: DbLike, name: string, endpoint: { set?: string; fallback?: string } = {}) {
  const zone = await findOrCreate(
    () => db.zone.findUnique({ where: { name } }),
    () => db.zone.create({ data: { name, endpoint: endpoint.set ?? endpoint.fallback ?? null } }),
  );
  const wanted = endpoint.set ?? (zone.endpoint ? undefined : endpoint.fallback);
  if (wanted === undefined || wanted === zone.endpoint) return zone;
  return db.zone.update({ where: { id: zone.id }, data: { endpoint: wanted } });
}

export async function seedGroup(
  db: DbLike,
  name: string,
  opts: { builtin?: boolean; createRights?: ResourceType[]; description?: string } = {},
) {
  return findOrCreate(
    () => db.group.findUnique({ where: { name } }),
    () =>
      db.group.create({
        data: {
          name,
          builtin: opts.builtin ?? false,
          description: opts.description ?? "",
          createRights: {
            create: (opts.createRights ?? DEFAULT_GROUP_CREATE_RIGHTS).map((resource) => ({ resource })),
          },
        },
      }),
  );
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
