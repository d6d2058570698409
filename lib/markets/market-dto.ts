import type { Prisma } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { holds, type Subject } from "@/lib/permissions/rights";
import { ownershipInclude, toOwnershipDto } from "@/lib/permissions/shared-dto";
import { isPublicDriver, MARKET_DRIVER_LABELS, type MarketDriverName } from "./drivers/config";
import { httpMarketBaseUrl, MARKET_DRIVER_CAPABILITIES } from "./drivers/registry";
import { SECRET_ATTRIBUTES } from "./market-spec";
import { catalogBaseUrl, isCatalogExport } from "@/lib/catalogs/catalog-export";
import { describeSystemErrors } from "@/lib/system-errors";

export const marketplaceInclude = {
  ...ownershipInclude,
  zone: { select: { id: true, name: true, endpoint: true } },
} satisfies Prisma.MarketplaceInclude;

export type MarketplaceRow = Prisma.MarketplaceGetPayload<{ include: typeof marketplaceInclude }>;

/** App counts of a page of marketplaces, in one query. */
export async function appCounts(db: DbLike, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.marketplaceApp.groupBy({
    by: ["marketplaceId"],
    where: { marketplaceId: { in: ids } },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.marketplaceId, r._count._all]));
}

/** Where the apps' bytes live, as users see it. */
function locationOf(row: MarketplaceRow, config: Record<string, unknown>): string {
  if (row.driver === "s3") return `s3://${String(config.bucket)}`;
  if (isPublicDriver(row.driver)) return String(config.endpoint);
  return httpMarketBaseUrl(row.id, typeof config.baseUrl === "string" ? config.baseUrl : "", row.zone.endpoint);
}

/**
 * The public shape of a marketplace. Secret attributes are never included; the S3 access key
 * id is shown only to users who may manage the marketplace.
 */
export function toMarketplaceDto(row: MarketplaceRow, ctx: { subject: Subject; zoneId: number }, appCount: number) {
  const driver = row.driver as MarketDriverName;
  const config = JSON.parse(row.config) as Record<string, string | number | boolean | string[]>;
  const mayManage = holds(ctx.subject, row, "MANAGE");
  if (driver === "s3" && !mayManage && typeof config.accessKeyId === "string") {
    config.accessKeyId = mask(config.accessKeyId);
  }
  const sealedNames = SECRET_ATTRIBUTES[driver] ?? [];
  const known = row.totalBytes !== null && row.freeBytes !== null && row.usedBytes !== null;
  return {
    id: row.id,
    name: row.name,
    driver,
    driverLabel: MARKET_DRIVER_LABELS[driver] ?? driver,
    zone: row.zone,
    local: row.zoneId === ctx.zoneId,
    description: row.description,
    enabled: row.enabled,
    state: row.enabled ? ("ENABLED" as const) : ("DISABLED" as const),
    config,
    secretsSet: row.secrets ? sealedNames : [],
    location: locationOf(row, config),
    public: isPublicDriver(driver),
    capabilities: MARKET_DRIVER_CAPABILITIES[driver],
    appCount,
    capacity: known
      ? { totalBytes: Number(row.totalBytes), freeBytes: Number(row.freeBytes), usedBytes: Number(row.usedBytes) }
      : null,
    monitoredAt: row.monitoredAt,
    monitorError: describeSystemErrors(row.monitorError),
    catalogSkipped: JSON.parse(row.catalogSkipped) as { upstreamId: string; name: string; reason: string }[],
    catalog: {
      export: isCatalogExport(row.catalogExport) ? row.catalogExport : ("off" as const),
      baseUrl: catalogBaseUrl(row, row.zone.endpoint),
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...toOwnershipDto(row),
  };
}

const mask = (v: string) => (v.length <= 4 ? "••••" : `${v.slice(0, 4)}••••`);
