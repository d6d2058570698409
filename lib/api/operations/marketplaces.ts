import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, objectName, pageOf, queryBool, timestamp, urlId, zoneRef } from "@/lib/api/schemas";
import { ownershipDto } from "@/lib/permissions/shared-dto";
import { MARKET_DRIVERS } from "@/lib/markets/drivers/config";
import {
  createMarketplaceBody,
  marketplaceDescription,
  catalogTokenBody,
  marketplaceDriverBody,
  type CreateMarketplaceBody,
} from "@/lib/markets/market-schemas";
import { CATALOG_EXPORTS } from "@/lib/catalogs/catalog-export";
import { permissionOperations } from "./shared";

const capabilities = z.object({
  create: z.boolean(),
  delete: z.boolean(),
  monitor: z.boolean(),
  read: z.boolean(),
  range: z.boolean(),
});

/** A driver attribute's value (linuxcontainers' architectures are a list). */
const configValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string().max(64)).max(8)]);

export const marketplaceDto = z
  .object({
    id: z.number().int(),
    name: z.string(),
    driver: z.enum(MARKET_DRIVERS),
    driverLabel: z.string(),
    zone: zoneRef,
    /** true when this portal's zone is the marketplace's own (it may publish and monitor) */
    local: z.boolean(),
    description: z.string(),
    enabled: z.boolean(),
    state: z.enum(["ENABLED", "DISABLED"]),
    /**
     * The driver's non-secret attributes. Users without MANAGE see the S3 access key id
     * masked; secret attributes never appear here.
     */
    config: z.record(z.string(), configValue),
    /** names of the secret attributes that are set (their values are never returned) */
    secretsSet: z.array(z.string()),
    /** where the apps' bytes are served (http: BASE_URL, resolved; s3: s3://bucket; public catalogs: the endpoint) */
    location: z.string(),
    /** a public catalog, whose apps come from monitoring it (they are read-only) */
    public: z.boolean(),
    capabilities,
    appCount: z.number().int(),
    capacity: z.object({ totalBytes: z.number(), freeBytes: z.number(), usedBytes: z.number() }).nullable(),
    monitoredAt: timestamp.nullable(),
    monitorError: z.string(),
    /** public catalogs: the entries the last monitor left out and why (at most 200) */
    catalogSkipped: z.array(z.object({ upstreamId: z.string(), name: z.string(), reason: z.string() })),
    /**
     * Whether the marketplace is served to other clouds as an OpenNebula marketplace and a
     * simplestreams server, and where (`<zone endpoint>/catalog/<id>`, null when off).
     */
    catalog: z.object({ export: z.enum(CATALOG_EXPORTS), baseUrl: z.string().nullable() }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .extend(ownershipDto.shape);
export type MarketplaceDto = z.infer<typeof marketplaceDto>;

export type { CreateMarketplaceBody };

export const listMarketplaces = defineOperation({
  id: "listMarketplaces",
  method: "GET",
  path: "/api/v1/marketplaces",
  summary: "Marketplaces of every zone you may use",
  tag: "Marketplaces",
  auth: "user",
  query: listQuery(["id", "name", "driver", "createdAt"] as const).extend({
    driver: z.enum(MARKET_DRIVERS).optional(),
    enabled: queryBool.optional(),
    zoneId: urlId().optional(),
  }),
  response: pageOf(marketplaceDto),
});

export const createMarketplace = defineOperation({
  id: "createMarketplace",
  method: "POST",
  path: "/api/v1/marketplaces",
  summary: "Create a marketplace in the local zone (create right); its backend is checked first",
  tag: "Marketplaces",
  auth: "user",
  body: createMarketplaceBody,
  response: marketplaceDto,
  status: 201,
  statuses: [502],
});

export const checkMarketplace = defineOperation({
  id: "checkMarketplace",
  method: "POST",
  path: "/api/v1/marketplaces/check",
  summary: "Check a driver configuration (reachability, credentials) without saving it",
  tag: "Marketplaces",
  auth: "user",
  body: marketplaceDriverBody,
  response: z.object({
    ok: z.literal(true),
    /** null for a public catalog, which has no capacity */
    capacity: z.object({ totalBytes: z.number(), freeBytes: z.number() }).nullable(),
  }),
  statuses: [502],
});

export const getMarketplace = defineOperation({
  id: "getMarketplace",
  method: "GET",
  path: "/api/v1/marketplaces/{id}",
  summary: "A marketplace with its capacity and last monitor result",
  tag: "Marketplaces",
  auth: "user",
  params: idParams,
  response: marketplaceDto,
});

export const updateMarketplace = defineOperation({
  id: "updateMarketplace",
  method: "PATCH",
  path: "/api/v1/marketplaces/{id}",
  summary:
    "Rename, describe, enable/disable, export as a catalog, or change driver attributes (merged, re-checked) and secrets (MANAGE)",
  tag: "Marketplaces",
  auth: "user",
  params: idParams,
  body: z
    .object({
      name: objectName,
      description: marketplaceDescription,
      enabled: z.boolean(),
      /** attributes to change; the others keep their values */
      config: z.record(z.string(), configValue),
      /** secrets to replace; omitted ones are kept */
      secrets: z.record(z.string(), z.string()),
      /** serve it as a catalog: "public" (the apps everyone may use), "token" (read tokens) or "off" */
      catalogExport: z.enum(CATALOG_EXPORTS),
    })
    .partial()
    .refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
  response: marketplaceDto,
  statuses: [502],
});

export const deleteMarketplace = defineOperation({
  id: "deleteMarketplace",
  method: "DELETE",
  path: "/api/v1/marketplaces/{id}",
  summary: "Delete a marketplace: refused while it has apps unless deleteApps=true, which removes them and their bytes",
  tag: "Marketplaces",
  auth: "user",
  params: idParams,
  query: z.object({ deleteApps: queryBool.default(false) }),
  status: 204,
  statuses: [502],
});

export const monitorMarketplace = defineOperation({
  id: "monitorMarketplace",
  method: "POST",
  path: "/api/v1/marketplaces/{id}/monitor",
  summary:
    "Monitor a marketplace of the local zone now (capacity; a public catalog's apps are synced); the result is stored and returned",
  tag: "Marketplaces",
  auth: "user",
  params: idParams,
  response: marketplaceDto,
  statuses: [502],
});

export const { chmod: chmodMarketplace, chown: chownMarketplace } = permissionOperations(
  "marketplaces",
  "Marketplaces",
  "Marketplace",
);

export const catalogTokenDto = z.object({
  id: z.number().int(),
  name: z.string(),
  /** the first characters of the token, to tell tokens apart */
  prefix: z.string(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
});

const catalogTokenParams = idParams.extend({ tokenId: urlId() });

export const listCatalogTokens = defineOperation({
  id: "listCatalogTokens",
  method: "GET",
  path: "/api/v1/marketplaces/{id}/catalog-tokens",
  summary: "The read tokens of a marketplace's catalog (MANAGE)",
  tag: "Marketplaces",
  auth: "user",
  params: idParams,
  response: z.object({ items: z.array(catalogTokenDto) }),
});

export const createCatalogToken = defineOperation({
  id: "createCatalogToken",
  method: "POST",
  path: "/api/v1/marketplaces/{id}/catalog-tokens",
  summary: "Create a read token of a marketplace's catalog (MANAGE); the secret is shown once",
  tag: "Marketplaces",
  auth: "user",
  params: idParams,
  body: catalogTokenBody,
  response: catalogTokenDto.extend({
    /** the secret: a path segment (`<catalog>/t/<token>/…`) or a basic-auth password; never shown again */
    token: z.string(),
  }),
  status: 201,
});

export const deleteCatalogToken = defineOperation({
  id: "deleteCatalogToken",
  method: "DELETE",
  path: "/api/v1/marketplaces/{id}/catalog-tokens/{tokenId}",
  summary: "Revoke a read token of a marketplace's catalog (MANAGE)",
  tag: "Marketplaces",
  auth: "user",
  params: catalogTokenParams,
  status: 204,
});
