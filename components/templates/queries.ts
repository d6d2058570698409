"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import * as templatesApi from "./api";
import type { TemplateFilters, UpdateServiceTemplateInput, UpdateVmTemplateInput } from "./api";

export const vmTemplateKeys = createQueryKeys<"vm-templates", TemplateFilters>("vm-templates");
export const serviceTemplateKeys = createQueryKeys<"service-templates", TemplateFilters>("service-templates");

const ALL: TemplateFilters = { page: 1, perPage: 200, sort: "name", order: "asc" };

export function useVmTemplates(filters: TemplateFilters) {
  return useQuery({
    queryKey: vmTemplateKeys.list(filters),
    queryFn: ({ signal }) => templatesApi.listVmTemplates(filters, signal),
    placeholderData: keepPreviousData,
  });
}

/** Every VM template you may use (up to the API's page limit), for the roles editor. */
export function useAllVmTemplates() {
  return useVmTemplates(ALL).data?.items ?? [];
}

export function useVmTemplate(id: number) {
  return useQuery({
    queryKey: vmTemplateKeys.detail(id),
    queryFn: ({ signal }) => templatesApi.getVmTemplate(id, signal),
  });
}

/** Service templates show their roles' VM template names: a VM template change refreshes both. */
export function useInvalidateTemplates() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: vmTemplateKeys.all }),
      qc.invalidateQueries({ queryKey: serviceTemplateKeys.all }),
    ]);
}

export function useCreateVmTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({ mutationFn: templatesApi.createVmTemplate, onSettled: invalidate });
}

export function useUpdateVmTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateVmTemplateInput }) =>
      templatesApi.updateVmTemplate(id, patch),
    onSettled: invalidate,
  });
}

export function useDeleteVmTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({ mutationFn: templatesApi.deleteVmTemplate, onSettled: invalidate });
}

export function useCloneVmTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name: string }) => templatesApi.cloneVmTemplate(id, name),
    onSettled: invalidate,
  });
}

export function useServiceTemplates(filters: TemplateFilters) {
  return useQuery({
    queryKey: serviceTemplateKeys.list(filters),
    queryFn: ({ signal }) => templatesApi.listServiceTemplates(filters, signal),
    placeholderData: keepPreviousData,
  });
}

export function useServiceTemplate(id: number) {
  return useQuery({
    queryKey: serviceTemplateKeys.detail(id),
    queryFn: ({ signal }) => templatesApi.getServiceTemplate(id, signal),
  });
}

export function useCreateServiceTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({ mutationFn: templatesApi.createServiceTemplate, onSettled: invalidate });
}

export function useUpdateServiceTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateServiceTemplateInput }) =>
      templatesApi.updateServiceTemplate(id, patch),
    onSettled: invalidate,
  });
}

export function useDeleteServiceTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({ mutationFn: templatesApi.deleteServiceTemplate, onSettled: invalidate });
}

export function useCloneServiceTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name: string }) => templatesApi.cloneServiceTemplate(id, name),
    onSettled: invalidate,
  });
}
