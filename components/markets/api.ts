import type { z } from "zod";
import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type {
  catalogTokenDto,
  checkMarketplace as checkOp,
  createCatalogToken as createCatalogTokenOp,
  createMarketplace as createOp,
  MarketplaceDto,
  updateMarketplace as updateOp,
} from "@/lib/api/operations/marketplaces";

export type { MarketplaceDto };
export type MarketplaceFilters = ListParams & { driver?: string; enabled?: string; zoneId?: string | number };
export type CreateMarketplaceInput = BodyOf<typeof createOp>;
export type CheckMarketplaceInput = BodyOf<typeof checkOp>;
export type UpdateMarketplaceInput = BodyOf<typeof updateOp>;
export type CheckResult = z.infer<NonNullable<(typeof checkOp)["response"]>>;
/** How a marketplace is served to other clouds (lib/catalogs): off, public, or behind read tokens. */
export type CatalogExport = MarketplaceDto["catalog"]["export"];
export type CatalogTokenDto = z.infer<typeof catalogTokenDto>;
/** A read token as created: with its secret, which is never shown again. */
export type CreatedCatalogTokenDto = z.infer<NonNullable<(typeof createCatalogTokenOp)["response"]>>;

export const listMarketplaces = (filters: MarketplaceFilters, signal?: AbortSignal) =>
  api<Page<MarketplaceDto>>("/marketplaces", { query: { ...filters }, signal });

export const getMarketplace = (id: number, signal?: AbortSignal) =>
  api<MarketplaceDto>(`/marketplaces/${id}`, { signal });

export const createMarketplace = (input: CreateMarketplaceInput) =>
  api<MarketplaceDto>("/marketplaces", { method: "POST", body: input });

/** Tries a driver configuration (reachability, credentials) without saving it. */
export const checkMarketplace = (input: CheckMarketplaceInput) =>
  api<CheckResult>("/marketplaces/check", { method: "POST", body: input });

export const updateMarketplace = (id: number, patch: UpdateMarketplaceInput) =>
  api<MarketplaceDto>(`/marketplaces/${id}`, { method: "PATCH", body: patch });

/** Refused (409) while the marketplace has apps, unless `deleteApps` removes them and their bytes too. */
export const deleteMarketplace = (id: number, deleteApps: boolean) =>
  api<void>(`/marketplaces/${id}`, { method: "DELETE", query: { deleteApps: deleteApps || undefined } });

export const monitorMarketplace = (id: number) =>
  api<MarketplaceDto>(`/marketplaces/${id}/monitor`, { method: "POST" });

/** The read tokens of a marketplace's catalog (MANAGE). */
export const listCatalogTokens = (id: number, signal?: AbortSignal) =>
  api<{ items: CatalogTokenDto[] }>(`/marketplaces/${id}/catalog-tokens`, { signal });

export const createCatalogToken = (id: number, name: string) =>
  api<CreatedCatalogTokenDto>(`/marketplaces/${id}/catalog-tokens`, { method: "POST", body: { name } });

export const revokeCatalogToken = (id: number, tokenId: number) =>
  api<void>(`/marketplaces/${id}/catalog-tokens/${tokenId}`, { method: "DELETE" });
