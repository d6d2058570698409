import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { whereHolds } from "@/lib/permissions/visibility";
import type { MarketDriverName } from "./drivers/config";
import { appCounts, marketplaceInclude, toMarketplaceDto } from "./market-dto";

interface Input {
  page: number;
  perPage: number;
  sort: "id" | "name" | "driver" | "createdAt";
  order: "asc" | "desc";
  q?: string;
  driver?: MarketDriverName;
  enabled?: boolean;
  zoneId?: number;
}

/** Marketplaces are federated: those of every zone, limited to the ones the user may USE. */
export async function listMarketplaces({ ctx, input }: { ctx: Ctx; input: Input }) {
  const where: Prisma.MarketplaceWhereInput = {
    AND: [
      whereHolds(subjectOf(ctx), "USE", "MARKETPLACE"),
      input.driver ? { driver: input.driver } : {},
      input.enabled !== undefined ? { enabled: input.enabled } : {},
      input.zoneId ? { zoneId: input.zoneId } : {},
      input.q ? { OR: [{ name: containsInsensitive(input.q) }, { description: containsInsensitive(input.q) }] } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db().marketplace.findMany({
      where,
      include: marketplaceInclude,
      orderBy: [{ [input.sort]: input.order }, { id: "asc" }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().marketplace.count({ where }),
  ]);
  const counts = await appCounts(
    db(),
    rows.map((r) => r.id),
  );
  const view = { subject: subjectOf(ctx), zoneId: ctx.zone.id };
  return {
    items: rows.map((r) => toMarketplaceDto(r, view, counts.get(r.id) ?? 0)),
    total,
    page: input.page,
    perPage: input.perPage,
  };
}
