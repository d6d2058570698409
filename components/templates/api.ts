import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type {
  createServiceTemplate as createServiceOp,
  createVmTemplate as createVmOp,
  ServiceTemplateDto,
  updateServiceTemplate as updateServiceOp,
  updateVmTemplate as updateVmOp,
  VmTemplateDto,
} from "@/lib/api/operations/templates";

export type { ServiceTemplateDto, VmTemplateDto };
export type TemplateFilters = ListParams & { mine?: string };
export type CreateVmTemplateInput = BodyOf<typeof createVmOp>;
export type UpdateVmTemplateInput = BodyOf<typeof updateVmOp>;
export type CreateServiceTemplateInput = BodyOf<typeof createServiceOp>;
export type UpdateServiceTemplateInput = BodyOf<typeof updateServiceOp>;

export const listVmTemplates = (filters: TemplateFilters, signal?: AbortSignal) =>
  api<Page<VmTemplateDto>>("/vm-templates", { query: { ...filters }, signal });
export const getVmTemplate = (id: number, signal?: AbortSignal) =>
  api<VmTemplateDto>(`/vm-templates/${id}`, { signal });
export const createVmTemplate = (input: CreateVmTemplateInput) =>
  api<VmTemplateDto>("/vm-templates", { method: "POST", body: input });
export const updateVmTemplate = (id: number, patch: UpdateVmTemplateInput) =>
  api<VmTemplateDto>(`/vm-templates/${id}`, { method: "PATCH", body: patch });
export const deleteVmTemplate = (id: number) => api<void>(`/vm-templates/${id}`, { method: "DELETE" });
export const cloneVmTemplate = (id: number, name: string) =>
  api<VmTemplateDto>(`/vm-templates/${id}/clone`, { method: "POST", body: { name } });

export const listServiceTemplates = (filters: TemplateFilters, signal?: AbortSignal) =>
  api<Page<ServiceTemplateDto>>("/service-templates", { query: { ...filters }, signal });
export const getServiceTemplate = (id: number, signal?: AbortSignal) =>
  api<ServiceTemplateDto>(`/service-templates/${id}`, { signal });
export const createServiceTemplate = (input: CreateServiceTemplateInput) =>
  api<ServiceTemplateDto>("/service-templates", { method: "POST", body: input });
export const updateServiceTemplate = (id: number, patch: UpdateServiceTemplateInput) =>
  api<ServiceTemplateDto>(`/service-templates/${id}`, { method: "PATCH", body: patch });
export const deleteServiceTemplate = (id: number) => api<void>(`/service-templates/${id}`, { method: "DELETE" });
export const cloneServiceTemplate = (id: number, name: string) =>
  api<ServiceTemplateDto>(`/service-templates/${id}/clone`, { method: "POST", body: { name } });
