import { db, Prisma } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { appInclude, appJobs, toAppDto } from "./app-dto";
import { visibleClasses } from "./catalog-classes";
import {
  afterCursor,
  countable,
  decodeCursor,
  encodeCursor,
  filterConditions,
  pageSql,
  where,
  type CatalogFilters,
} from "./catalog-query";

export interface ListAppsInput {
  page: number;
  perPage: number;
  sort: "name" | "id" | "createdAt" | "sizeBytes" | "version" | "state" | "type";
  order: "asc" | "desc";
  /** the `nextCursor` of the previous page: the page after it (then `page` is ignored) */
  cursor?: string;
  q?: string;
  type?: string;
  state?: string;
  marketplaceId?: number;
  zoneId?: number;
  ownerId?: number;
  format?: string;
  hypervisor?: string;
  architecture?: string;
  tags?: string[];
}

/**
 * The classes whose apps the catalog may show (lib/apps/catalog-classes.ts), or null for every
 * app (an admin, unless the owner or marketplace filter narrows the classes).
 */
async function classesFor(ctx: Ctx, f: CatalogFilters): Promise<number[] | null> {
  const subject = subjectOf(ctx);
  if (subject.isAdmin && !f.ownerId && !f.marketplaceId) return null;
  return visibleClasses(subject, { ownerId: f.ownerId, marketplaceId: f.marketplaceId });
}

/**
 * How many apps match: without a text or tag filter, a sum over the counts kept per class
 * (a few hundred rows, whatever the number of apps); otherwise a count that the trigram index
 * narrows first.
 */
async function totalOf(classes: number[] | null, f: CatalogFilters): Promise<number> {
  if (countable(f)) {
    const conds: Prisma.Sql[] = [];
    if (classes) conds.push(classes.length ? Prisma.sql`c."visClass" IN (${Prisma.join(classes)})` : Prisma.sql`1 = 0`);
    for (const key of ["type", "state", "zoneId", "format", "hypervisor", "architecture"] as const)
      if (f[key]) conds.push(Prisma.sql`c.${Prisma.raw(`"${key}"`)} = ${f[key]}`);
    const [row] = await db().$queryRaw<{ n: number | bigint | string | null }[]>(
      Prisma.sql`SELECT SUM(c."apps") AS "n" FROM "AppCatalogCount" c ${where(conds)}`,
    );
    return Number(row?.n ?? 0);
  }
  const [row] = await db().$queryRaw<{ n: number | bigint }[]>(
    Prisma.sql`SELECT count(*) AS "n" FROM "MarketplaceApp" a ${where(filterConditions(f, classes))}`,
  );
  return Number(row.n);
}

/**
 * The catalog: every app the user may USE, across all marketplaces and zones. Pages by number
 * (offset) or, past the first pages, by the cursor each page hands out (`nextCursor`): a cursor
 * page starts from the index position of the previous page's last row, so page 1000 costs what
 * page 2 does.
 */
export async function listApps({ ctx, input }: { ctx: Ctx; input: ListAppsInput }) {
  const { page: _page, perPage, sort, order, cursor: rawCursor, ...filters } = input;
  const cursor = rawCursor ? decodeCursor(rawCursor, sort, order) : null;
  const page = cursor ? cursor.p : input.page;
  const classes = await classesFor(ctx, filters);
  const conds = filterConditions(filters, classes);
  if (cursor) conds.push(afterCursor(cursor));
  // text and tag filters: the page and the total from one pass over the matches (pageSql)
  const together = !countable(filters) && !cursor;
  const hits = await db().$queryRaw<{ id: number | bigint; v: string | null; n?: number | bigint }[]>(
    pageSql(conds, sort, order, perPage, cursor ? 0 : (page - 1) * perPage, together),
  );
  // past the last page the window counted nothing: count apart
  const total = together && hits.length ? Number(hits[0].n) : await totalOf(classes, filters);
  const ids = hits.map((h) => Number(h.id));
  const rows = await db().marketplaceApp.findMany({ where: { id: { in: ids } }, include: appInclude });
  const byId = new Map(rows.map((r) => [r.id, r]));
  // an app deleted between the two reads is left out
  const ordered = ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
  const jobs = await appJobs(
    db(),
    ordered.filter((r) => r.state === "LOCKED" || r.state === "INIT").map((r) => r.id),
  );
  const last = hits.at(-1);
  const more = hits.length === perPage && page * perPage < total;
  return {
    items: ordered.map((r) => toAppDto(r, subjectOf(ctx), jobs.get(r.id) ?? null)),
    total,
    page,
    perPage,
    ...(more && last
      ? {
          nextCursor: encodeCursor({
            s: sort,
            o: order,
            v: last.v === null ? null : String(last.v),
            i: Number(last.id),
            p: page + 1,
          }),
        }
      : {}),
  };
}

/** The values a facet takes among the usable apps, each with how many apps have it. */
type FacetCounts = { value: string; count: number }[];

/** Ids (marketplaces, zones, owners) in numeric order, other values in string order. */
export const facetOrder = (ids: boolean) => (a: string, b: string) =>
  ids ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0;

function facet(counts: Map<string, number>, ids = false): FacetCounts {
  return [...counts.keys()]
    .filter((v) => v && counts.get(v)! > 0)
    .sort(facetOrder(ids))
    .map((value) => ({ value, count: counts.get(value)! }));
}

type Num = number | bigint | string;

/**
 * The values the catalog's filters can take among the apps the user may use, with how many of
 * those apps have each (in any state, whatever the other filters): sums of the counts kept per
 * visibility class, so the cost follows the number of classes and values, not of apps. A
 * class's marketplace and owner are columns of the class itself. Ids are answered as strings,
 * as the catalog's URL filters carry them.
 */
export async function listAppFacets({ ctx }: { ctx: Ctx }) {
  const classes = await classesFor(ctx, {});
  const inClasses = (alias: string) =>
    classes === null
      ? Prisma.empty
      : classes.length
        ? Prisma.sql`WHERE ${Prisma.raw(alias)}."visClass" IN (${Prisma.join(classes)})`
        : Prisma.sql`WHERE 1 = 0`;
  const [combos, byClass, tagRows] = await Promise.all([
    db().$queryRaw<
      { type: string; state: string; zoneId: Num; format: string; hypervisor: string; architecture: string; n: Num }[]
    >(
      Prisma.sql`SELECT c."type", c."state", c."zoneId", c."format", c."hypervisor", c."architecture", SUM(c."apps") AS "n"
        FROM "AppCatalogCount" c ${inClasses("c")}
        GROUP BY c."type", c."state", c."zoneId", c."format", c."hypervisor", c."architecture"`,
    ),
    db().$queryRaw<{ marketplaceId: Num; ownerId: Num; n: Num }[]>(
      Prisma.sql`SELECT v."marketplaceId", v."ownerId", SUM(c."apps") AS "n"
        FROM "AppCatalogCount" c JOIN "AppVisClass" v ON v."id" = c."visClass" ${inClasses("c")}
        GROUP BY v."marketplaceId", v."ownerId"`,
    ),
    db().$queryRaw<{ tag: string; n: Num }[]>(
      Prisma.sql`SELECT t."tag", SUM(t."apps") AS "n" FROM "AppTagCount" t ${inClasses("t")} GROUP BY t."tag"`,
    ),
  ]);
  const sums = {
    formats: new Map<string, number>(),
    hypervisors: new Map<string, number>(),
    architectures: new Map<string, number>(),
    types: new Map<string, number>(),
    states: new Map<string, number>(),
    zoneIds: new Map<string, number>(),
    marketplaceIds: new Map<string, number>(),
    ownerIds: new Map<string, number>(),
  };
  const add = (m: Map<string, number>, k: Num, n: Num) => m.set(String(k), (m.get(String(k)) ?? 0) + Number(n));
  for (const r of combos) {
    add(sums.formats, r.format, r.n);
    add(sums.hypervisors, r.hypervisor, r.n);
    add(sums.architectures, r.architecture, r.n);
    add(sums.types, r.type, r.n);
    add(sums.states, r.state, r.n);
    add(sums.zoneIds, r.zoneId, r.n);
  }
  for (const r of byClass) {
    add(sums.marketplaceIds, r.marketplaceId, r.n);
    add(sums.ownerIds, r.ownerId, r.n);
  }
  const counts = {
    formats: facet(sums.formats),
    hypervisors: facet(sums.hypervisors),
    architectures: facet(sums.architectures),
    tags: facet(new Map(tagRows.map((r) => [r.tag, Number(r.n)]))),
    types: facet(sums.types),
    states: facet(sums.states),
    zoneIds: facet(sums.zoneIds, true),
    marketplaceIds: facet(sums.marketplaceIds, true),
    ownerIds: facet(sums.ownerIds, true),
  };
  return {
    formats: counts.formats.map((c) => c.value),
    hypervisors: counts.hypervisors.map((c) => c.value),
    architectures: counts.architectures.map((c) => c.value),
    tags: counts.tags.map((c) => c.value),
    counts,
  };
}
