import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { whereHolds } from "@/lib/permissions/visibility";
import { appInclude, appJobs, toAppDto, unpackTags } from "./app-dto";

export interface ListAppsInput {
  page: number;
  perPage: number;
  sort: "name" | "id" | "createdAt" | "sizeBytes" | "version" | "state" | "type";
  order: "asc" | "desc";
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

/** The catalog's filter, shared by the page and the facets. */
function catalogWhere(ctx: Ctx, input: Partial<ListAppsInput>): Prisma.MarketplaceAppWhereInput {
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

/** The catalog: every app the user may USE, across all marketplaces and zones. */
export async function listApps({ ctx, input }: { ctx: Ctx; input: ListAppsInput }) {
  const where = catalogWhere(ctx, input);
  const [rows, total] = await Promise.all([
    db().marketplaceApp.findMany({
      where,
      include: appInclude,
      // the tie-breaker follows the order, so that an index serves newest-first pages whole
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

/**
 * The values the catalog's filters can take, among the apps the user may use: one grouping
 * over the four columns (the database does the distinct), split here.
 */
export async function listAppFacets({ ctx }: { ctx: Ctx }) {
  const rows = await db().marketplaceApp.groupBy({
    by: ["format", "hypervisor", "architecture", "tags"],
    where: catalogWhere(ctx, {}),
  });
  const values = (pick: (r: (typeof rows)[number]) => string[]) =>
    [...new Set(rows.flatMap(pick))].filter(Boolean).sort();
  return {
    formats: values((r) => [r.format]),
    hypervisors: values((r) => [r.hypervisor]),
    architectures: values((r) => [r.architecture]),
    tags: values((r) => unpackTags(r.tags)),
  };
}
