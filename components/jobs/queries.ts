"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import { imageKeys } from "@/components/images/queries";
import * as jobsApi from "./api";
import type { JobFilters } from "./api";

export const jobKeys = createQueryKeys<"jobs", JobFilters>("jobs");

export const isActive = (job: { state: string }) => job.state === "QUEUED" || job.state === "RUNNING";

export function useJobs(filters: JobFilters) {
  return useQuery({
    queryKey: jobKeys.list(filters),
    queryFn: ({ signal }) => jobsApi.listJobs(filters, signal),
    placeholderData: keepPreviousData,
    // live progress bars while anything on the page is still running
    refetchInterval: (query) => (query.state.data?.items.some(isActive) ? 1000 : false),
  });
}

/** One job with its plan, refreshed while it is queued or running. */
export function useJob(id: number) {
  return useQuery({
    queryKey: jobKeys.detail(id),
    queryFn: ({ signal }) => jobsApi.getJob(id, signal),
    refetchInterval: (query) => (query.state.data && isActive(query.state.data) ? 2000 : false),
  });
}

const ACTIVE: JobFilters = { page: 1, perPage: 1, active: "true" };

/** How many jobs are queued or running (yours, or all for admins). */
export function useActiveJobCount() {
  const query = useQuery({
    queryKey: jobKeys.list(ACTIVE),
    queryFn: ({ signal }) => jobsApi.listJobs(ACTIVE, signal),
    refetchInterval: (q) => (q.state.data?.total ? 2000 : 10_000),
  });
  return query.data?.total ?? 0;
}

/** A cancelled job moves its object (an image goes to ERROR): refresh images too. */
export function useCancelJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: jobsApi.cancelJob,
    onSettled: () =>
      Promise.all([qc.invalidateQueries({ queryKey: jobKeys.all }), qc.invalidateQueries({ queryKey: imageKeys.all })]),
  });
}
