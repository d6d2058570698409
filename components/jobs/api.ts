import { api } from "@/components/api/client";
import type { ListParams, Page } from "@/components/api/types";
import type { JobDetailDto, JobDto, JobStepDto } from "@/lib/api/operations/jobs";

export type { JobDetailDto, JobDto, JobStepDto };
export type JobFilters = ListParams & {
  state?: string | string[];
  active?: "true" | "false";
  objectType?: string;
  objectId?: number;
};

export const listJobs = (filters: JobFilters, signal?: AbortSignal) =>
  api<Page<JobDto>>("/jobs", { query: { ...filters }, signal });

export const getJob = (id: number, signal?: AbortSignal) => api<JobDetailDto>(`/jobs/${id}`, { signal });

export const cancelJob = (id: number) => api<JobDetailDto>(`/jobs/${id}/cancel`, { method: "POST" });
