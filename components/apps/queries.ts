"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import { imageKeys } from "@/components/images/queries";
import { JOB_OUTCOME_KEYS, jobKeys } from "@/components/jobs/queries";
import { marketplaceKeys } from "@/components/markets/queries";
import * as appsApi from "./api";
import type { AppFilters, CopyAppInput, ImportAppInput, LockLevel, UpdateAppInput } from "./api";
import { isAppBusy, isAppTreeBusy } from "./app-state";

export const appKeys = createQueryKeys<"apps", AppFilters>("apps");
const facetsKey = [...appKeys.all, "facets"] as const;

/** Live progress comes from polling while a job moves an app's bytes (jobs update every second or so). */
const POLL_MS = 1000;

export function useApps(filters: AppFilters) {
  return useQuery({
    queryKey: appKeys.list(filters),
    queryFn: ({ signal }) => appsApi.listApps(filters, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some(isAppBusy) ? POLL_MS : false),
  });
}

/** The READY apps of one type in a marketplace, which a composite publish may reuse as parts. */
export function useReusableApps(type: "IMAGE" | "VMTEMPLATE", marketplaceId: string) {
  const filters: AppFilters = {
    page: 1,
    perPage: 200,
    sort: "name",
    order: "asc",
    type,
    state: "READY",
    marketplaceId,
  };
  return useQuery({
    queryKey: appKeys.list(filters),
    queryFn: ({ signal }) => appsApi.listApps(filters, signal),
    enabled: !!marketplaceId,
  });
}

/** The values the catalog's format, hypervisor, architecture and tag filters offer. */
export function useAppFacets() {
  return useQuery({ queryKey: facetsKey, queryFn: ({ signal }) => appsApi.listAppFacets(signal) });
}

export function useApp(id: number) {
  return useQuery({
    queryKey: appKeys.detail(id),
    queryFn: ({ signal }) => appsApi.getApp(id, signal),
    // a composite's children move with its job: the tree refreshes while any part is busy
    refetchInterval: (query) => (query.state.data && isAppTreeBusy(query.state.data) ? POLL_MS : false),
  });
}

/**
 * Apps fill marketplaces (app count, capacity) and start jobs: refresh those too. After a
 * delete only lists: the deleted app's detail would answer 404.
 */
export function useInvalidateApps(scope: "all" | "lists" = "all") {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: scope === "all" ? appKeys.all : appKeys.lists() }),
      qc.invalidateQueries({ queryKey: marketplaceKeys.all }),
      qc.invalidateQueries({ queryKey: jobKeys.all }),
    ]);
}

/** Publishing holds the source image (USED) while its bytes are copied: refresh images too. */
export function usePublishApp() {
  const invalidate = useInvalidateApps();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: appsApi.publishApp,
    onSettled: () => Promise.all([invalidate(), qc.invalidateQueries({ queryKey: imageKeys.all })]),
  });
}

export function useUpdateApp() {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateAppInput }) => appsApi.updateApp(id, patch),
    onSettled: invalidate,
  });
}

export function useLockApp() {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: ({ id, level }: { id: number; level: LockLevel }) => appsApi.lockApp(id, level),
    onSettled: invalidate,
  });
}

export function useUnlockApp() {
  const invalidate = useInvalidateApps();
  return useMutation({ mutationFn: appsApi.unlockApp, onSettled: invalidate });
}

/** A refused delete leaves the app in ERROR, which its page must then show. */
export function useDeleteApp() {
  const invalidateAll = useInvalidateApps();
  const invalidateLists = useInvalidateApps("lists");
  return useMutation({
    mutationFn: ({ id, withChildren }: { id: number; withChildren?: boolean }) => appsApi.deleteApp(id, withChildren),
    onSettled: (_data, error) => (error ? invalidateAll() : invalidateLists()),
  });
}

/**
 * What importing an app into a datastore would create, asked again as the choices change (the
 * caller debounces them); a refusal (no room, wrong datastore) is the query's error.
 */
export function useImportPreview(id: number, input: ImportAppInput, enabled: boolean) {
  return useQuery({
    queryKey: [...appKeys.detail(id), "import-preview", input] as const,
    queryFn: ({ signal }) => appsApi.previewAppImport(id, input, signal),
    enabled,
    // the last plan stays on screen while the next one is checked
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 10_000,
  });
}

/** An import creates images (and templates) in a datastore and starts one job. */
export function useImportApp() {
  const invalidate = useInvalidateApps();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: number; input: ImportAppInput }) => appsApi.importApp(id, input),
    // the images (and the templates of a composite) exist from the start, INIT until the job ends
    onSettled: () =>
      Promise.all([invalidate(), ...JOB_OUTCOME_KEYS.map((queryKey) => qc.invalidateQueries({ queryKey }))]),
  });
}

/** A copy creates apps in a marketplace (its room, its app count) and starts one job. */
export function useCopyApp() {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: ({ id, input }: { id: number; input: CopyAppInput }) => appsApi.copyApp(id, input),
    onSettled: invalidate,
  });
}
