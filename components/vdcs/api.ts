import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type { createVdc as createOp, updateVdc as updateOp, VdcDto } from "@/lib/api/operations/vdcs";

export type { VdcDto };
export type VdcFilters = ListParams;
export type CreateVdcInput = BodyOf<typeof createOp>;
export type UpdateVdcInput = BodyOf<typeof updateOp>;
/** A resource as the VDC shows it: with its zone's and its own name (null: all of the zone). */
export type VdcResourceDto = VdcDto["resources"][number];
/** A resource as PATCH takes it. */
export type VdcResourceInput = Pick<VdcResourceDto, "zoneId" | "resourceType" | "resourceId">;

export const listVdcs = (filters: VdcFilters, signal?: AbortSignal) =>
  api<Page<VdcDto>>("/vdcs", { query: { ...filters }, signal });

export const getVdc = (id: number, signal?: AbortSignal) => api<VdcDto>(`/vdcs/${id}`, { signal });

export const createVdc = (input: CreateVdcInput) => api<VdcDto>("/vdcs", { method: "POST", body: input });

export const updateVdc = (id: number, patch: UpdateVdcInput) =>
  api<VdcDto>(`/vdcs/${id}`, { method: "PATCH", body: patch });

export const deleteVdc = (id: number) => api<void>(`/vdcs/${id}`, { method: "DELETE" });
