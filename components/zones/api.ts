import type { z } from "zod";
import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type {
  createZone as createOp,
  updateZone as updateOp,
  zoneDto,
  zoneStatusDto,
} from "@/lib/api/operations/zones";

export type ZoneDto = z.infer<typeof zoneDto>;
/** A zone with whether its portal answers at its endpoint. */
export type ZoneStatusDto = z.infer<typeof zoneStatusDto>;
export type ZoneFilters = ListParams;
export type CreateZoneInput = BodyOf<typeof createOp>;
export type UpdateZoneInput = BodyOf<typeof updateOp>;

export const listZones = (filters: ZoneFilters, signal?: AbortSignal) =>
  api<Page<ZoneStatusDto>>("/zones", { query: { ...filters }, signal });

export const getZone = (id: number, signal?: AbortSignal) => api<ZoneStatusDto>(`/zones/${id}`, { signal });

export const createZone = (input: CreateZoneInput) => api<ZoneStatusDto>("/zones", { method: "POST", body: input });

export const updateZone = (id: number, patch: UpdateZoneInput) =>
  api<ZoneStatusDto>(`/zones/${id}`, { method: "PATCH", body: patch });

export const deleteZone = (id: number) => api<void>(`/zones/${id}`, { method: "DELETE" });
