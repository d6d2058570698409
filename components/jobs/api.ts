import { api } from "@/components/api/client";
import type { ListParams, Page } from "@/components/api/types";
import type { JobDto } from "@/lib/api/operations/jobs";

export type { JobDto };
export type JobFilters = ListParams & {
  state?: string | string[];
  active?: "true" | "false";
  objectType?: string;
  objectId?: number;
};

export const listJobs = (filters: JobFilters, signal?: AbortSignal) =>
  api<Page<JobDto>>("/jobs", { query: { ...filters }, signal });

export const getJob = (id: number, signal?: AbortSignal) => api<JobDto>(`/jobs/${id}`, { signal });

export const cancelJob = (id: number) => api<JobDto>(`/jobs/${id}/cancel`, { method: "POST" });
