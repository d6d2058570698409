"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import * as zonesApi from "./api";
import type { UpdateZoneInput, ZoneFilters } from "./api";

export const zoneKeys = createQueryKeys<"zones", ZoneFilters>("zones");

/** `enabled: false` waits (the header's zone menu asks only once it is opened). */
export function useZones(filters: ZoneFilters, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: zoneKeys.list(filters),
    queryFn: ({ signal }) => zonesApi.listZones(filters, signal),
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

/** Every zone (up to the API's page limit) as Select options. */
export function useZoneOptions() {
  const query = useZones({ page: 1, perPage: 200, sort: "name", order: "asc" });
  return query.data?.items.map((z) => ({ value: String(z.id), label: z.name })) ?? [];
}

export function useZone(id: number) {
  return useQuery({ queryKey: zoneKeys.detail(id), queryFn: ({ signal }) => zonesApi.getZone(id, signal) });
}

/** After a delete only lists are refreshed: the deleted object's detail would answer 404. */
function useInvalidateZones(scope: "all" | "lists" = "all") {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: scope === "all" ? zoneKeys.all : zoneKeys.lists() });
}

export function useCreateZone() {
  const invalidate = useInvalidateZones();
  return useMutation({ mutationFn: zonesApi.createZone, onSettled: invalidate });
}

export function useUpdateZone() {
  const invalidate = useInvalidateZones();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateZoneInput }) => zonesApi.updateZone(id, patch),
    onSettled: invalidate,
  });
}

export function useDeleteZone() {
  const invalidate = useInvalidateZones("lists");
  return useMutation({ mutationFn: zonesApi.deleteZone, onSettled: invalidate });
}
