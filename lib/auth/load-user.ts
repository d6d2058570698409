import { getConfig } from "@/lib/config";
import type { DbLike, CtxUser } from "@/lib/auth/context";
import { ADMINS_GROUP } from "@/lib/groups/builtin";
import { RESOURCE_TYPES, type ResourceType } from "@/lib/permissions/resources";
import { loadVdcGrants, NO_GRANTS } from "@/lib/permissions/vdc-grants";

/** Loads what a request needs to know about its user; null if missing or disabled. */
export async function loadCtxUser(db: DbLike, userId: number): Promise<CtxUser | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    include: { memberships: { include: { group: { include: { createRights: true } } } } },
  });
  if (!user || !user.enabled) return null;
  const groups = user.memberships.map((m) => m.group);
  const rights = new Set<ResourceType>();
  for (const g of groups) for (const r of g.createRights) rights.add(r.resource as ResourceType);
  const isAdmin = groups.some((g) => g.name === ADMINS_GROUP);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    primaryGroupId: user.primaryGroupId,
    groupIds: groups.map((g) => g.id),
    isAdmin,
    umask: user.umask ?? getConfig().defaultUmask,
    createRights: isAdmin ? [...RESOURCE_TYPES] : RESOURCE_TYPES.filter((r) => rights.has(r)),
    grants: isAdmin
      ? NO_GRANTS
      : await loadVdcGrants(
          db,
          groups.map((g) => g.id),
        ),
  };
}
