"use client";

import { useEffect, useRef } from "react";
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

/**
 * What a job may have created or changed when it ends: an import makes images and VM and
 * service templates, a publish apps, every transfer moves a datastore's or a marketplace's room
 * and the quotas' usage. By their root keys, not the areas' key factories, which import this
 * module.
 */
export const JOB_OUTCOME_KEYS = [
  ["images"],
  ["apps"],
  ["vm-templates"],
  ["service-templates"],
  ["datastores"],
  ["marketplaces"],
  ["quotas"],
] as const;

/**
 * How many jobs are queued or running (yours, or all for admins). When the count goes down, a
 * job ended: the lists its outcome shows in are refreshed then, not at their next poll (a
 * composite import's templates appear when it ends, not seconds later).
 */
export function useActiveJobCount() {
  const qc = useQueryClient();
  const query = useQuery({
    queryKey: jobKeys.list(ACTIVE),
    queryFn: ({ signal }) => jobsApi.listJobs(ACTIVE, signal),
    refetchInterval: (q) => (q.state.data?.total ? 2000 : 10_000),
  });
  const count = query.data?.total;
  const last = useRef(count);
  useEffect(() => {
    if (count !== undefined && last.current !== undefined && count < last.current)
      for (const queryKey of JOB_OUTCOME_KEYS) void qc.invalidateQueries({ queryKey });
    last.current = count;
  }, [count, qc]);
  return count ?? 0;
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
