import type { z } from "zod";
import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type { ImageDto } from "@/components/images/api";
import type {
  AppDto,
  importApp as importOp,
  listAppFacets as facetsOp,
  publishApp as publishOp,
  updateApp as updateOp,
} from "@/lib/api/operations/apps";

export type { AppDto };
export type AppFilters = ListParams & {
  type?: string;
  state?: string;
  marketplaceId?: string | number;
  zoneId?: string;
  ownerId?: string;
  format?: string;
  hypervisor?: string;
  architecture?: string;
  /** comma-separated; an app must carry every one */
  tags?: string;
};
export type AppFacets = z.infer<NonNullable<(typeof facetsOp)["response"]>>;
export type PublishAppInput = BodyOf<typeof publishOp>;
export type UpdateAppInput = BodyOf<typeof updateOp>;
export type ImportAppInput = BodyOf<typeof importOp>;
export type LockLevel = NonNullable<AppDto["lockLevel"]>;

export const listApps = (filters: AppFilters, signal?: AbortSignal) =>
  api<Page<AppDto>>("/apps", { query: { ...filters }, signal });

export const listAppFacets = (signal?: AbortSignal) => api<AppFacets>("/apps/facets", { signal });

export const getApp = (id: number, signal?: AbortSignal) => api<AppDto>(`/apps/${id}`, { signal });

/** Publishes an image as an app; a job copies its bytes into the marketplace. */
export const publishApp = (input: PublishAppInput) => api<AppDto>("/apps", { method: "POST", body: input });

export const updateApp = (id: number, patch: UpdateAppInput) =>
  api<AppDto>(`/apps/${id}`, { method: "PATCH", body: patch });

export const deleteApp = (id: number) => api<void>(`/apps/${id}`, { method: "DELETE" });

export const lockApp = (id: number, level: LockLevel) =>
  api<AppDto>(`/apps/${id}/lock`, { method: "POST", body: { level } });

export const unlockApp = (id: number) => api<AppDto>(`/apps/${id}/unlock`, { method: "POST" });

/** Creates an image in a datastore of the local zone; a job streams and verifies the bytes. */
export const importApp = (id: number, input: ImportAppInput) =>
  api<ImageDto>(`/apps/${id}/import`, { method: "POST", body: input });

/** A plain link: the browser streams the bytes to disk (Range requests resume). */
export const appDownloadHref = (id: number) => `/api/v1/apps/${id}/download`;
