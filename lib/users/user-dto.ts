import type { DbLike, CtxUser } from "@/lib/auth/context";
import { ADMINS_GROUP } from "@/lib/groups/builtin";

/** The relations a user DTO needs. */
export const userInclude = {
  primaryGroup: { select: { id: true, name: true } },
  memberships: { include: { group: { select: { id: true, name: true } } }, orderBy: { groupId: "asc" as const } },
};

type UserRow = {
  id: number;
  username: string;
  displayName: string;
  email: string;
  enabled: boolean;
  umask: string | null;
  createdAt: Date;
  updatedAt: Date;
  primaryGroup: { id: number; name: string };
  memberships: { group: { id: number; name: string } }[];
};

/** Only public fields: the password hash never leaves (the DTO schema strips it too). */
export function toUserDto(u: UserRow) {
  const groups = u.memberships.map((m) => m.group);
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    email: u.email,
    enabled: u.enabled,
    isAdmin: groups.some((g) => g.name === ADMINS_GROUP),
    umask: u.umask,
    primaryGroup: u.primaryGroup,
    groups,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

export async function toMeDto(db: DbLike, user: CtxUser) {
  const groups = await db.group.findMany({
    where: { id: { in: user.groupIds } },
    select: { id: true, name: true },
    orderBy: { id: "asc" },
  });
  const primary = groups.find((g) => g.id === user.primaryGroupId) ?? { id: user.primaryGroupId, name: "" };
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    isAdmin: user.isAdmin,
    primaryGroup: primary,
    groups,
    umask: user.umask,
    createRights: user.createRights,
  };
}
