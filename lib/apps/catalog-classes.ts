import { db, Prisma } from "@/lib/db/client";
import type { Subject } from "@/lib/permissions/rights";

/**
 * The visibility classes (AppVisClass) whose apps a subject may USE: the same decision as
 * `whereHolds(subject, "USE", "MARKETPLACE_APP")`, taken once per class instead of once per app.
 * A class is the owner, group and marketplace its apps share with the USE bit of each rights
 * digit, so the apps of a class are usable by exactly the same users: through "other", as
 * owner, as a member of the group, or through a VDC that grants the marketplace (by id, or
 * every marketplace of its zone). Admins see every class.
 *
 * `ownerId` and `marketplaceId` are also class columns: the catalog's filters on them narrow
 * the classes instead of the apps.
 */
export async function visibleClasses(
  subject: Subject,
  narrow: { ownerId?: number; marketplaceId?: number } = {},
): Promise<number[]> {
  const conds: Prisma.Sql[] = [];
  if (!subject.isAdmin) {
    const grants = subject.grants;
    const markets = new Set(grants?.marketplaceIds ?? []);
    if (grants?.marketplaceZoneIds.length) {
      const inZones = await db().marketplace.findMany({
        where: { zoneId: { in: grants.marketplaceZoneIds } },
        select: { id: true },
      });
      for (const m of inZones) markets.add(m.id);
    }
    const or = [
      Prisma.sql`"otherUse" = 1`,
      Prisma.sql`("ownerUse" = 1 AND "ownerId" = ${subject.userId})`,
      ...(subject.groupIds.length
        ? [Prisma.sql`("groupUse" = 1 AND "groupId" IN (${Prisma.join(subject.groupIds)}))`]
        : []),
      ...(markets.size ? [Prisma.sql`"marketplaceId" IN (${Prisma.join([...markets])})`] : []),
    ];
    conds.push(Prisma.sql`(${Prisma.join(or, " OR ")})`);
  }
  if (narrow.ownerId) conds.push(Prisma.sql`"ownerId" = ${narrow.ownerId}`);
  if (narrow.marketplaceId) conds.push(Prisma.sql`"marketplaceId" = ${narrow.marketplaceId}`);
  const rows = await db().$queryRaw<{ id: number | bigint }[]>(
    Prisma.sql`SELECT "id" FROM "AppVisClass" ${conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, " AND ")}` : Prisma.empty} ORDER BY "id"`,
  );
  return rows.map((r) => Number(r.id));
}
