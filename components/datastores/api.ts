import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type {
  createDatastore as createOp,
  DatastoreDto,
  updateDatastore as updateOp,
} from "@/lib/api/operations/datastores";

export type { DatastoreDto };
export type DatastoreFilters = ListParams & { type?: string; enabled?: string };
export type CreateDatastoreInput = BodyOf<typeof createOp>;
export type UpdateDatastoreInput = BodyOf<typeof updateOp>;

export const listDatastores = (filters: DatastoreFilters, signal?: AbortSignal) =>
  api<Page<DatastoreDto>>("/datastores", { query: { ...filters }, signal });

export const getDatastore = (id: number, signal?: AbortSignal) => api<DatastoreDto>(`/datastores/${id}`, { signal });

export const createDatastore = (input: CreateDatastoreInput) =>
  api<DatastoreDto>("/datastores", { method: "POST", body: input });

export const updateDatastore = (id: number, patch: UpdateDatastoreInput) =>
  api<DatastoreDto>(`/datastores/${id}`, { method: "PATCH", body: patch });

export const deleteDatastore = (id: number) => api<void>(`/datastores/${id}`, { method: "DELETE" });
