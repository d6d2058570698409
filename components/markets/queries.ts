"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import { appKeys } from "@/components/apps/queries";
import * as marketsApi from "./api";
import type { MarketplaceFilters, UpdateMarketplaceInput } from "./api";

export const marketplaceKeys = createQueryKeys<"marketplaces", MarketplaceFilters>("marketplaces");

export function useMarketplaces(filters: MarketplaceFilters) {
  return useQuery({
    queryKey: marketplaceKeys.list(filters),
    queryFn: ({ signal }) => marketsApi.listMarketplaces(filters, signal),
    placeholderData: keepPreviousData,
  });
}

const ALL: MarketplaceFilters = { page: 1, perPage: 200, sort: "name", order: "asc" };

/** Every marketplace you may use (up to the API's page limit), for filters and pickers. */
export function useAllMarketplaces() {
  return useMarketplaces(ALL).data?.items ?? [];
}

export function useMarketplace(id: number) {
  return useQuery({
    queryKey: marketplaceKeys.detail(id),
    queryFn: ({ signal }) => marketsApi.getMarketplace(id, signal),
  });
}

/**
 * App rows show their marketplace's name and whether it is enabled, so a marketplace change
 * refreshes apps too. After a delete only lists: the deleted object's detail would answer 404.
 */
export function useInvalidateMarketplaces(scope: "all" | "lists" = "all") {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: scope === "all" ? marketplaceKeys.all : marketplaceKeys.lists() }),
      qc.invalidateQueries({ queryKey: appKeys.all }),
    ]);
}

export function useCreateMarketplace() {
  const invalidate = useInvalidateMarketplaces();
  return useMutation({ mutationFn: marketsApi.createMarketplace, onSettled: invalidate });
}

/** "Test connection": nothing is saved, so nothing to refresh. */
export function useCheckMarketplace() {
  return useMutation({ mutationFn: marketsApi.checkMarketplace });
}

export function useUpdateMarketplace() {
  const invalidate = useInvalidateMarketplaces();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateMarketplaceInput }) =>
      marketsApi.updateMarketplace(id, patch),
    onSettled: invalidate,
  });
}

/** A marketplace's catalog read tokens, under its detail key: deleting it drops them too. */
export const catalogTokenKeys = (marketplaceId: number) => [...marketplaceKeys.detail(marketplaceId), "catalog-tokens"];

/** Only those who may manage the marketplace may list them (`enabled`). */
export function useCatalogTokens(marketplaceId: number, enabled = true) {
  return useQuery({
    queryKey: catalogTokenKeys(marketplaceId),
    queryFn: ({ signal }) => marketsApi.listCatalogTokens(marketplaceId, signal),
    enabled,
  });
}

export function useCreateCatalogToken(marketplaceId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => marketsApi.createCatalogToken(marketplaceId, name),
    onSettled: () => qc.invalidateQueries({ queryKey: catalogTokenKeys(marketplaceId) }),
  });
}

export function useRevokeCatalogToken(marketplaceId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: number) => marketsApi.revokeCatalogToken(marketplaceId, tokenId),
    onSettled: () => qc.invalidateQueries({ queryKey: catalogTokenKeys(marketplaceId) }),
  });
}

export function useMonitorMarketplace() {
  const invalidate = useInvalidateMarketplaces();
  return useMutation({ mutationFn: marketsApi.monitorMarketplace, onSettled: invalidate });
}

export function useDeleteMarketplace() {
  const invalidate = useInvalidateMarketplaces("lists");
  return useMutation({
    mutationFn: ({ id, deleteApps }: { id: number; deleteApps: boolean }) =>
      marketsApi.deleteMarketplace(id, deleteApps),
    onSettled: invalidate,
  });
}
