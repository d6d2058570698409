"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import * as vdcsApi from "./api";
import type { UpdateVdcInput, VdcFilters } from "./api";

export const vdcKeys = createQueryKeys<"vdcs", VdcFilters>("vdcs");

export function useVdcs(filters: VdcFilters) {
  return useQuery({
    queryKey: vdcKeys.list(filters),
    queryFn: ({ signal }) => vdcsApi.listVdcs(filters, signal),
    placeholderData: keepPreviousData,
  });
}

export function useVdc(id: number) {
  return useQuery({ queryKey: vdcKeys.detail(id), queryFn: ({ signal }) => vdcsApi.getVdc(id, signal) });
}

/** After a delete only lists are refreshed: the deleted object's detail would answer 404. */
function useInvalidateVdcs(scope: "all" | "lists" = "all") {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: scope === "all" ? vdcKeys.all : vdcKeys.lists() });
}

export function useCreateVdc() {
  const invalidate = useInvalidateVdcs();
  return useMutation({ mutationFn: vdcsApi.createVdc, onSettled: invalidate });
}

export function useUpdateVdc() {
  const invalidate = useInvalidateVdcs();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateVdcInput }) => vdcsApi.updateVdc(id, patch),
    onSettled: invalidate,
  });
}

export function useDeleteVdc() {
  const invalidate = useInvalidateVdcs("lists");
  return useMutation({ mutationFn: vdcsApi.deleteVdc, onSettled: invalidate });
}
