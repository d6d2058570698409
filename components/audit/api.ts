import { api } from "@/components/api/client";
import type { ListParams, Page } from "@/components/api/types";
import type { AuditEventDto } from "@/lib/api/operations/audit";

export type { AuditEventDto };
export type AuditFilters = ListParams & { objectType?: string; action?: string };

export const listAuditEvents = (filters: AuditFilters, signal?: AbortSignal) =>
  api<Page<AuditEventDto>>("/audit", { query: { ...filters }, signal });
