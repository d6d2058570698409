"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import { imageKeys } from "@/components/images/queries";
import * as datastoresApi from "./api";
import type { DatastoreFilters, UpdateDatastoreInput } from "./api";

export const datastoreKeys = createQueryKeys<"datastores", DatastoreFilters>("datastores");

export function useDatastores(filters: DatastoreFilters) {
  return useQuery({
    queryKey: datastoreKeys.list(filters),
    queryFn: ({ signal }) => datastoresApi.listDatastores(filters, signal),
    placeholderData: keepPreviousData,
  });
}

export const ALL_DATASTORES: DatastoreFilters = { page: 1, perPage: 200, sort: "name", order: "asc" };

/** Every datastore you may use (up to the API's page limit), for filters and pickers. */
export function useAllDatastores() {
  return useDatastores(ALL_DATASTORES).data?.items ?? [];
}

export function useDatastore(id: number, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: datastoreKeys.detail(id),
    queryFn: ({ signal }) => datastoresApi.getDatastore(id, signal),
    enabled: options.enabled,
  });
}

/** Image rows show their datastore's name, so a datastore change refreshes images too. */
export function useInvalidateDatastores() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: datastoreKeys.all }),
      qc.invalidateQueries({ queryKey: imageKeys.all }),
    ]);
}

export function useCreateDatastore() {
  const invalidate = useInvalidateDatastores();
  return useMutation({ mutationFn: datastoresApi.createDatastore, onSettled: invalidate });
}

export function useUpdateDatastore() {
  const invalidate = useInvalidateDatastores();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateDatastoreInput }) =>
      datastoresApi.updateDatastore(id, patch),
    onSettled: invalidate,
  });
}

export function useDeleteDatastore() {
  const invalidate = useInvalidateDatastores();
  return useMutation({ mutationFn: datastoresApi.deleteDatastore, onSettled: invalidate });
}
