import { z } from "zod";
import { getConfig } from "@/lib/config";
import { Prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { ListAppsInput } from "./list-apps";

/**
 * The catalog's page as SQL, on the index of migration catalog_index: visibility is one indexed
 * column (`visClass IN (the classes the user sees)`, lib/apps/catalog-classes.ts), each sort has
 * an index (column, id, visClass) that a page walks in order without reading the rows, and the
 * text filters use a trigram index (pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite).
 *
 * The filters are the ones the catalog always had, written as Prisma writes them (LIKE with
 * `%value%` and no escaping, ILIKE for `q` on PostgreSQL), so the rows are exactly the same;
 * on SQLite the FTS5 table only narrows the candidates (it folds more case than LIKE and knows
 * no wildcards), the LIKE still decides.
 */

export type SortField = ListAppsInput["sort"];
type Sql = Prisma.Sql;

const postgres = () => getConfig().databaseProvider === "postgresql";

/** What a page is filtered on, apart from visibility. */
export type CatalogFilters = Omit<ListAppsInput, "page" | "perPage" | "sort" | "order" | "cursor">;

/** Only the filters the counts per visibility class can answer (no text, no tags). */
export function countable(f: CatalogFilters): boolean {
  return !f.q && !(f.tags ?? []).length;
}

const col = (name: string) => Prisma.raw(`a."${name}"`);

/**
 * The filters as SQL conditions on `"MarketplaceApp" a` (truthy values only, as before), with
 * the visibility condition first. On SQLite the single-value columns are written `+a."col"`,
 * SQLite's way to say "no index for this term": without statistics it otherwise took the
 * `(type, id, visClass)` index for `type = 'IMAGE'` (92 % of the apps) and sorted them all
 * (`USE TEMP B-TREE FOR ORDER BY`), and, with a text filter, probed that index for each FTS5
 * candidate (twice as slow as the rowid lookups). The plans left are the walk of the sort's
 * index, or the FTS5 candidates looked up by rowid. PostgreSQL has statistics and chooses.
 */
export function filterConditions(f: CatalogFilters, classes: number[] | null): Sql[] {
  const match = postgres() ? null : ftsMatch(f.q, f.tags ?? []);
  const c = (name: string) => Prisma.raw(`${postgres() ? "" : "+"}a."${name}"`);
  const conds: Sql[] = [];
  if (classes)
    conds.push(classes.length ? Prisma.sql`${c("visClass")} IN (${Prisma.join(classes)})` : Prisma.sql`1 = 0`);
  for (const key of ["type", "state", "format", "hypervisor", "architecture"] as const)
    if (f[key]) conds.push(Prisma.sql`${c(key)} = ${f[key]}`);
  for (const key of ["marketplaceId", "zoneId", "ownerId"] as const)
    if (f[key]) conds.push(Prisma.sql`${c(key)} = ${f[key]}`);
  const tags = f.tags ?? [];
  for (const t of tags) conds.push(Prisma.sql`a."tags" LIKE ${`%,${t},%`}`);
  if (f.q) {
    const like = Prisma.raw(postgres() ? "ILIKE" : "LIKE");
    const p = `%${f.q}%`;
    conds.push(
      Prisma.sql`(a."name" ${like} ${p} OR a."description" ${like} ${p} OR a."tags" ${like} ${p} OR a."version" ${like} ${p})`,
    );
  }
  if (match) conds.push(Prisma.sql`a."id" IN (SELECT "rowid" FROM "AppSearch" WHERE "AppSearch" MATCH ${match})`);
  return conds;
}

/**
 * The FTS5 query that finds a superset of the LIKE matches, or null when it cannot: a trigram
 * phrase needs 3 characters, and `%` or `_` are LIKE wildcards that a phrase takes literally.
 */
export function ftsMatch(q: string | undefined, tags: string[]): string | null {
  const usable = (s: string) => [...s].length >= 3 && !/[%_]/.test(s);
  const phrase = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const parts: string[] = [];
  if (q && usable(q)) parts.push(phrase(q));
  for (const t of tags) if (usable(`,${t},`)) parts.push(`"tags" : ${phrase(`,${t},`)}`);
  return parts.length ? parts.join(" AND ") : null;
}

export const where = (conds: Sql[]) => (conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, " AND ")}` : Prisma.empty);

/**
 * A sort column's value as text, and the text turned back into the column's type: a cursor
 * carries it as text, so that dates and big integers come back exactly as stored (SQLite keeps
 * dates as ISO text, which a JavaScript Date would not reproduce).
 */
function sortValue(sort: SortField): { select: Sql; param: (v: string) => Sql } {
  const c = col(sort);
  if (sort === "createdAt")
    return postgres()
      ? { select: Prisma.sql`${c}::text`, param: (v) => Prisma.sql`CAST(${v} AS timestamp(3))` }
      : { select: Prisma.sql`(${c} || '')`, param: (v) => Prisma.sql`${v}` };
  if (sort === "sizeBytes")
    return postgres()
      ? { select: Prisma.sql`${c}::text`, param: (v) => Prisma.sql`CAST(${v} AS bigint)` }
      : { select: Prisma.sql`CAST(${c} AS TEXT)`, param: (v) => Prisma.sql`CAST(${v} AS INTEGER)` };
  return { select: Prisma.sql`${c}`, param: (v) => Prisma.sql`${v}` };
}

/** The last row of a page, from which the next page starts. */
const cursorShape = z.object({
  s: z.enum(["name", "id", "createdAt", "sizeBytes", "version", "state", "type"]),
  o: z.enum(["asc", "desc"]),
  /** the sort column's value as text (null when sorting by id) */
  v: z.string().nullable(),
  i: z.number().int(),
  /** the number of the page the cursor leads to */
  p: z.number().int().min(2),
});
export type CatalogCursor = z.infer<typeof cursorShape>;

export function encodeCursor(c: CatalogCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

/** The cursor of a request; it must come from a page of the same sort and order. */
export function decodeCursor(raw: string, sort: SortField, order: "asc" | "desc"): CatalogCursor {
  let parsed: CatalogCursor | null = null;
  try {
    parsed = cursorShape.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.s !== sort || parsed.o !== order || (parsed.v === null) !== (sort === "id"))
    throw new AppError("INVALID", "The cursor is not one of this list's", {
      invalidParams: [{ name: "cursor", reason: "not a cursor of this sort and order: start again from page 1" }],
    });
  return parsed;
}

/** Rows after the cursor's row, in the page's order. */
export function afterCursor(c: CatalogCursor): Sql {
  const op = Prisma.raw(c.o === "asc" ? ">" : "<");
  if (c.s === "id") return Prisma.sql`a."id" ${op} ${c.i}`;
  return Prisma.sql`(${col(c.s)}, a."id") ${op} (${sortValue(c.s).param(c.v!)}, ${c.i})`;
}

/**
 * The ids of one page (and each row's sort value, for the next cursor). With `withTotal`, each
 * row also carries the number of matches (`count(*) OVER ()`): for text and tag filters the
 * database then gathers the matches once, from the trigram index, for both the page and the
 * total, instead of walking the sort index through rows that do not match (PostgreSQL's
 * planner, misled by the filters' correlation, chose that walk and read 12,000 rows for 25).
 */
export function pageSql(
  conds: Sql[],
  sort: SortField,
  order: "asc" | "desc",
  limit: number,
  offset: number,
  withTotal = false,
): Sql {
  const dir = Prisma.raw(order === "asc" ? "ASC" : "DESC");
  const value = sort === "id" ? Prisma.sql`NULL` : sortValue(sort).select;
  if (!withTotal)
    return Prisma.sql`SELECT a."id" AS "id", ${value} AS "v" FROM "MarketplaceApp" a ${where(conds)}
      ORDER BY ${col(sort)} ${dir}, a."id" ${dir} LIMIT ${limit} OFFSET ${offset}`;
  // PostgreSQL: OFFSET 0 keeps the planner from pulling the ORDER BY into the subquery, where
  // it walked the whole sort index (1.3 s); SQLite's plan is already fixed by the `+` terms
  const fence = Prisma.raw(postgres() ? "OFFSET 0" : "");
  return Prisma.sql`SELECT m."id", m."v", count(*) OVER () AS "n"
    FROM (SELECT a."id" AS "id", ${value} AS "v", ${col(sort)} AS "s" FROM "MarketplaceApp" a ${where(conds)} ${fence}) m
    ORDER BY m."s" ${dir}, m."id" ${dir} LIMIT ${limit} OFFSET ${offset}`;
}
