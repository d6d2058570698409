import { db } from "@/lib/db/client";
import { USE } from "@/lib/permissions/rights";
import type { CatalogApp, CatalogPart } from "./appliance";

const appSelect = {
  id: true,
  name: true,
  type: true,
  version: true,
  publisher: true,
  description: true,
  shortDescription: true,
  tags: true,
  hypervisor: true,
  architecture: true,
  format: true,
  sizeBytes: true,
  md5: true,
  sha256: true,
  imageTemplate: true,
  vmTemplate: true,
  serviceTemplate: true,
  logoUrl: true,
  createdAt: true,
  storageKey: true,
  incusFingerprint: true,
} as const;

/** Rights digits in which "other" holds USE (4-7): what everyone may use in the portal. */
const EVERYONE_USES = [0, 1, 2, 3, 4, 5, 6, 7].filter((r) => (r & USE) !== 0);

export type ListedApp = CatalogApp & { storageKey: string; incusFingerprint: string };

/** What a catalog may serve: READY, not locked against use, and for a public one what everyone may use. */
function catalogWhere(input: { marketplaceId: number; scope: "public" | "all" }) {
  return {
    marketplaceId: input.marketplaceId,
    state: "READY",
    OR: [{ lockLevel: null }, { lockLevel: { not: "USE" } }],
    ...(input.scope === "public" && { otherRights: { in: EVERYONE_USES } }),
  };
}

/**
 * One IMAGE app the catalog lists, for serving its bytes (an image has no parts, so it is
 * listed exactly when it passes the catalog's filter): one row, not the whole catalog.
 */
export async function findCatalogImage(input: {
  marketplaceId: number;
  scope: "public" | "all";
  appId: number;
}): Promise<ListedApp | null> {
  return db().marketplaceApp.findFirst({
    where: { ...catalogWhere(input), id: input.appId, type: "IMAGE" },
    select: appSelect,
  });
}

/**
 * The apps a catalog lists: READY ones (an admin's DISABLED is a state of its own), for a
 * public catalog only those everyone may use; a composite app only when all its parts are
 * listed too (a reader could not link the others). Parts come in their parent's order.
 */
export async function listCatalogApps(input: {
  marketplaceId: number;
  scope: "public" | "all";
}): Promise<{ apps: ListedApp[]; parts: Map<number, CatalogPart[]> }> {
  const rows = await db().marketplaceApp.findMany({
    where: catalogWhere(input),
    select: appSelect,
    orderBy: { id: "asc" },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const links = await db().marketplaceAppChild.findMany({
    where: { parentId: { in: rows.filter((r) => r.type !== "IMAGE").map((r) => r.id) } },
    orderBy: [{ parentId: "asc" }, { position: "asc" }],
    select: { parentId: true, childId: true, slot: true },
  });
  const parts = new Map<number, { slot: string; childId: number }[]>();
  for (const l of links) parts.set(l.parentId, [...(parts.get(l.parentId) ?? []), l]);

  // a service's parts are VM templates whose own parts must be listed: drop until nothing changes
  const listed = new Set(rows.map((r) => r.id));
  for (let changed = true; changed;) {
    changed = false;
    for (const r of rows) {
      if (!listed.has(r.id) || r.type === "IMAGE") continue;
      const mine = parts.get(r.id) ?? [];
      if (mine.length === 0 || mine.some((p) => !listed.has(p.childId))) {
        listed.delete(r.id);
        changed = true;
      }
    }
  }
  const named = new Map<number, CatalogPart[]>();
  for (const id of listed) {
    const mine = parts.get(id);
    if (mine)
      named.set(
        id,
        mine.map((p) => ({ slot: p.slot, name: byId.get(p.childId)!.name })),
      );
  }
  return { apps: rows.filter((r) => listed.has(r.id)), parts: named };
}
