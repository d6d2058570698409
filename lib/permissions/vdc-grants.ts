import type { DbLike } from "@/lib/auth/context";

/**
 * What the VDCs of a user's groups grant: USE on datastores and marketplaces (and so on the
 * marketplaces' apps), each named by id or as "every one of zone z", as OpenNebula's VDC ACLs
 * do. Loaded once per request with the user; `holds` and `whereHolds` read it.
 */
export interface VdcGrants {
  datastoreIds: number[];
  datastoreZoneIds: number[];
  marketplaceIds: number[];
  marketplaceZoneIds: number[];
}

/** The kinds of object a VDC grant reaches: its resources, and the apps of its marketplaces. */
export type GrantKind = "DATASTORE" | "MARKETPLACE" | "MARKETPLACE_APP";

export const VDC_RESOURCE_TYPES = ["DATASTORE", "MARKETPLACE"] as const;
export type VdcResourceType = (typeof VDC_RESOURCE_TYPES)[number];

export const NO_GRANTS: VdcGrants = {
  datastoreIds: [],
  datastoreZoneIds: [],
  marketplaceIds: [],
  marketplaceZoneIds: [],
};

export async function loadVdcGrants(db: DbLike, groupIds: number[]): Promise<VdcGrants> {
  if (groupIds.length === 0) return NO_GRANTS;
  const rows = await db.vdcResource.findMany({
    where: { vdc: { groups: { some: { groupId: { in: groupIds } } } } },
    select: { zoneId: true, resourceType: true, resourceId: true },
  });
  const grants: VdcGrants = { datastoreIds: [], datastoreZoneIds: [], marketplaceIds: [], marketplaceZoneIds: [] };
  for (const r of rows) {
    const ds = r.resourceType === "DATASTORE";
    if (r.resourceId === null) (ds ? grants.datastoreZoneIds : grants.marketplaceZoneIds).push(r.zoneId);
    else (ds ? grants.datastoreIds : grants.marketplaceIds).push(r.resourceId);
  }
  return grants;
}

/** The fields a grant is decided on: the object's id and zone, and an app's marketplace. */
export interface GrantTarget {
  id: number;
  zoneId?: number;
  marketplaceId?: number;
  marketplace?: { zoneId: number };
}

/** Does a VDC of the subject's groups grant USE on the object? */
export function grantedUse(grants: VdcGrants | undefined, kind: GrantKind, obj: GrantTarget): boolean {
  if (!grants) return false;
  switch (kind) {
    case "DATASTORE":
      return (
        grants.datastoreIds.includes(obj.id) ||
        (obj.zoneId !== undefined && grants.datastoreZoneIds.includes(obj.zoneId))
      );
    case "MARKETPLACE":
      return (
        grants.marketplaceIds.includes(obj.id) ||
        (obj.zoneId !== undefined && grants.marketplaceZoneIds.includes(obj.zoneId))
      );
    case "MARKETPLACE_APP":
      return (
        (obj.marketplaceId !== undefined && grants.marketplaceIds.includes(obj.marketplaceId)) ||
        (obj.marketplace !== undefined && grants.marketplaceZoneIds.includes(obj.marketplace.zoneId))
      );
  }
}

/** The same decision as a Prisma `where` fragment (null when nothing is granted). */
export function whereGranted(grants: VdcGrants | undefined, kind: GrantKind): object | null {
  if (!grants) return null;
  const or: object[] = [];
  if (kind === "DATASTORE") {
    if (grants.datastoreIds.length) or.push({ id: { in: grants.datastoreIds } });
    if (grants.datastoreZoneIds.length) or.push({ zoneId: { in: grants.datastoreZoneIds } });
  } else if (kind === "MARKETPLACE") {
    if (grants.marketplaceIds.length) or.push({ id: { in: grants.marketplaceIds } });
    if (grants.marketplaceZoneIds.length) or.push({ zoneId: { in: grants.marketplaceZoneIds } });
  } else {
    if (grants.marketplaceIds.length) or.push({ marketplaceId: { in: grants.marketplaceIds } });
    if (grants.marketplaceZoneIds.length) or.push({ marketplace: { zoneId: { in: grants.marketplaceZoneIds } } });
  }
  return or.length ? { OR: or } : null;
}

/** The VDCs that grant an object, with the groups they grant it to (the Permissions tab). */
export async function grantsOf(
  db: DbLike,
  kind: GrantKind,
  obj: { id: number; zoneId: number; marketplaceId?: number },
) {
  const type: VdcResourceType = kind === "DATASTORE" ? "DATASTORE" : "MARKETPLACE";
  const id = kind === "MARKETPLACE_APP" ? obj.marketplaceId : obj.id;
  if (id === undefined) return [];
  const zoneId =
    kind === "MARKETPLACE_APP"
      ? ((await db.marketplace.findUnique({ where: { id }, select: { zoneId: true } }))?.zoneId ?? obj.zoneId)
      : obj.zoneId;
  const rows = await db.vdcResource.findMany({
    where: { resourceType: type, zoneId, OR: [{ resourceId: id }, { resourceId: null }] },
    include: { vdc: { include: { groups: { include: { group: { select: { id: true, name: true } } } } } } },
    orderBy: { vdcId: "asc" },
  });
  return rows.map((r) => ({
    vdc: { id: r.vdc.id, name: r.vdc.name },
    allOfZone: r.resourceId === null,
    groups: r.vdc.groups.map((g) => g.group),
  }));
}
