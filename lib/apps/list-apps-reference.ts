import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { whereHolds } from "@/lib/permissions/visibility";
import { appInclude, appJobs, toAppDto, unpackTags } from "./app-dto";
import { facetOrder, type ListAppsInput } from "./list-apps";

/**
 * The catalog as it was answered before its index (lib/apps/catalog-query.ts): one Prisma
 * `where` with the permission OR, offset pages, a grouping for the facets. Kept as the
 * definition of the catalog's results: the integration tests compare the indexed path with it
 * (rows, order, totals, facet counts) and bench/catalog.ts times it as the baseline. Not used
 * to answer requests.
 */
export function referenceWhere(ctx: Ctx, input: Partial<ListAppsInput>): Prisma.MarketplaceAppWhereInput {
  const q = input.q;
  return {
    AND: [
      whereHolds(subjectOf(ctx), "USE", "MARKETPLACE_APP"),
      input.type ? { type: input.type } : {},
      input.state ? { state: input.state } : {},
      input.marketplaceId ? { marketplaceId: input.marketplaceId } : {},
      input.zoneId ? { zoneId: input.zoneId } : {},
      input.ownerId ? { ownerId: input.ownerId } : {},
      input.format ? { format: input.format } : {},
      input.hypervisor ? { hypervisor: input.hypervisor } : {},
      input.architecture ? { architecture: input.architecture } : {},
      ...(input.tags ?? []).map((t) => ({ tags: { contains: `,${t},` } })),
      q
        ? {
            OR: [
              { name: containsInsensitive(q) },
              { description: containsInsensitive(q) },
              { tags: containsInsensitive(q) },
              { version: containsInsensitive(q) },
            ],
          }
        : {},
    ],
  };
}

/** The ids of a page and the total, as the catalog answered them by offset. */
export async function listAppIdsReference({ ctx, input }: { ctx: Ctx; input: ListAppsInput }) {
  const where = referenceWhere(ctx, input);
  const [rows, total] = await Promise.all([
    db().marketplaceApp.findMany({
      where,
      select: { id: true },
      orderBy: [{ [input.sort]: input.order }, { id: input.order }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().marketplaceApp.count({ where }),
  ]);
  return { ids: rows.map((r) => r.id), total };
}

/**
 * The facets' values with how many usable apps carry each (in any state, whatever the other
 * filters), by grouping the usable apps; ids as strings, as the catalog's facets answer them.
 */
export async function listAppFacetsReference({ ctx }: { ctx: Ctx }) {
  const rows = await db().marketplaceApp.groupBy({
    by: ["format", "hypervisor", "architecture", "tags", "type", "state", "zoneId", "marketplaceId", "ownerId"],
    where: referenceWhere(ctx, {}),
    _count: { _all: true },
  });
  const counted = (pick: (r: (typeof rows)[number]) => (string | number)[], ids = false) => {
    const counts = new Map<string, number>();
    for (const r of rows)
      for (const v of new Set(pick(r).map(String))) if (v) counts.set(v, (counts.get(v) ?? 0) + r._count._all);
    return [...counts.keys()].sort(facetOrder(ids)).map((value) => ({ value, count: counts.get(value)! }));
  };
  return {
    formats: counted((r) => [r.format]),
    hypervisors: counted((r) => [r.hypervisor]),
    architectures: counted((r) => [r.architecture]),
    tags: counted((r) => unpackTags(r.tags)),
    types: counted((r) => [r.type]),
    states: counted((r) => [r.state]),
    zoneIds: counted((r) => [r.zoneId], true),
    marketplaceIds: counted((r) => [r.marketplaceId], true),
    ownerIds: counted((r) => [r.ownerId], true),
  };
}

/** The whole page as the catalog answered it before (the benchmark's baseline). */
export async function listAppsReference({ ctx, input }: { ctx: Ctx; input: ListAppsInput }) {
  const where = referenceWhere(ctx, input);
  const [rows, total] = await Promise.all([
    db().marketplaceApp.findMany({
      where,
      include: appInclude,
      orderBy: [{ [input.sort]: input.order }, { id: input.order }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().marketplaceApp.count({ where }),
  ]);
  const jobs = await appJobs(
    db(),
    rows.filter((r) => r.state === "LOCKED" || r.state === "INIT").map((r) => r.id),
  );
  return {
    items: rows.map((r) => toAppDto(r, subjectOf(ctx), jobs.get(r.id) ?? null)),
    total,
    page: input.page,
    perPage: input.perPage,
  };
}
