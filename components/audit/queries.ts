"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import { listAuditEvents, type AuditFilters } from "./api";

export const auditKeys = createQueryKeys<"audit", AuditFilters>("audit");

export function useAuditEvents(filters: AuditFilters) {
  return useQuery({
    queryKey: auditKeys.list(filters),
    queryFn: ({ signal }) => listAuditEvents(filters, signal),
    placeholderData: keepPreviousData,
  });
}
