"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as quotasApi from "./api";
import type { QuotaOwner, QuotasInput } from "./api";

export const quotaKeys = {
  all: ["quotas"] as const,
  of: (owner: QuotaOwner) => ["quotas", owner.kind, owner.id] as const,
};

export function useQuotas(owner: QuotaOwner) {
  return useQuery({
    queryKey: quotaKeys.of(owner),
    queryFn: ({ signal }) => quotasApi.getQuotas(owner, signal),
  });
}

/** A user's usage counts in their groups' usage too, so every quota is refreshed. */
export function useSetQuotas(owner: QuotaOwner) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: QuotasInput) => quotasApi.setQuotas(owner, input),
    onSettled: () => qc.invalidateQueries({ queryKey: quotaKeys.all }),
  });
}
