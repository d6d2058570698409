/** How a marketplace is served as a catalog (app/catalog/[id]). */
export const CATALOG_EXPORTS = ["off", "public", "token"] as const;
export type CatalogExport = (typeof CATALOG_EXPORTS)[number];

export const isCatalogExport = (v: string): v is CatalogExport => (CATALOG_EXPORTS as readonly string[]).includes(v);

/**
 * Where a marketplace's catalog is served: `<zone endpoint>/catalog/<id>` (the portal's URL,
 * as every URL the portal gives out), null when it is not exported.
 */
export function catalogBaseUrl(
  market: { id: number; catalogExport: string },
  zoneEndpoint: string | null | undefined,
): string | null {
  if (!isCatalogExport(market.catalogExport) || market.catalogExport === "off") return null;
  return `${(zoneEndpoint ?? "").replace(/\/+$/, "")}/catalog/${market.id}`;
}
