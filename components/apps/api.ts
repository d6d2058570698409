import type { z } from "zod";
import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type {
  AppChildDto,
  AppDto,
  ImportPlanDto,
  copyApp as copyOp,
  importApp as importOp,
  listAppFacets as facetsOp,
  publishApp as publishOp,
  updateApp as updateOp,
} from "@/lib/api/operations/apps";

export type { AppChildDto, AppDto, ImportPlanDto };
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
/** What an import will create, once started: the job moving the bytes and the images it fills. */
export type ImportAppResult = z.infer<NonNullable<(typeof importOp)["response"]>>;
export type CopyAppInput = BodyOf<typeof copyOp>;
/** A copy, once started: its job and the copies it fills (the app's first). */
export type CopyAppResult = z.infer<NonNullable<(typeof copyOp)["response"]>>;
export type LockLevel = NonNullable<AppDto["lockLevel"]>;

export const listApps = (filters: AppFilters, signal?: AbortSignal) =>
  api<Page<AppDto>>("/apps", { query: { ...filters }, signal });

export const listAppFacets = (signal?: AbortSignal) => api<AppFacets>("/apps/facets", { signal });

export const getApp = (id: number, signal?: AbortSignal) => api<AppDto>(`/apps/${id}`, { signal });

/**
 * Publishes an image, a VM template or a service template as an app (with its child apps); one
 * job on the returned parent copies every byte into the marketplace.
 */
export const publishApp = (input: PublishAppInput) => api<AppDto>("/apps", { method: "POST", body: input });

export const updateApp = (id: number, patch: UpdateAppInput) =>
  api<AppDto>(`/apps/${id}`, { method: "PATCH", body: patch });

/** `withChildren` also deletes the child apps the app's publish created that no other app uses. */
export const deleteApp = (id: number, withChildren = false) =>
  api<void>(`/apps/${id}`, { method: "DELETE", query: { withChildren: withChildren || undefined } });

export const lockApp = (id: number, level: LockLevel) =>
  api<AppDto>(`/apps/${id}/lock`, { method: "POST", body: { level } });

export const unlockApp = (id: number) => api<AppDto>(`/apps/${id}/unlock`, { method: "POST" });

/** What an import would create (same checks as the import); nothing is created. */
export const previewAppImport = (id: number, input: ImportAppInput, signal?: AbortSignal) =>
  api<ImportPlanDto>(`/apps/${id}/import-preview`, { method: "POST", body: input, signal });

/**
 * Creates the images (and the VM and service templates) an app carries in a datastore of the
 * local zone; one job streams and verifies the bytes.
 */
export const importApp = (id: number, input: ImportAppInput) =>
  api<ImportAppResult>(`/apps/${id}/import`, { method: "POST", body: input });

/**
 * Copies an app with its child apps into a private marketplace of the local zone; one job
 * copies and verifies the bytes of every image.
 */
export const copyApp = (id: number, input: CopyAppInput) =>
  api<CopyAppResult>(`/apps/${id}/copy`, { method: "POST", body: input });

/** A plain link: the browser streams the bytes to disk (Range requests resume). */
export const appDownloadHref = (id: number) => `/api/v1/apps/${id}/download`;
