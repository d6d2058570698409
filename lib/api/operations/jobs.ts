import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, pageOf, timestamp, urlId } from "@/lib/api/schemas";

export const JOB_STATES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;

export const jobDto = z.object({
  id: z.number().int(),
  kind: z.string(),
  title: z.string(),
  zone: z.object({ id: z.number().int(), name: z.string() }),
  state: z.enum(JOB_STATES),
  phase: z.string(),
  objectType: z.string(),
  objectId: z.number().int().nullable(),
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  rateBps: z.number(),
  error: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  cancelRequested: z.boolean(),
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  updatedAt: timestamp,
});
export type JobDto = z.infer<typeof jobDto>;

export const listJobs = defineOperation({
  id: "listJobs",
  method: "GET",
  path: "/api/v1/jobs",
  summary: "Jobs (admins: all; others: the jobs they started)",
  tag: "Jobs",
  auth: "user",
  query: listQuery(["id", "createdAt", "state", "kind"] as const).extend({
    order: z.enum(["asc", "desc"]).default("desc"),
    state: z.union([z.enum(JOB_STATES), z.array(z.enum(JOB_STATES))]).optional(),
    objectType: z.string().max(32).optional(),
    objectId: urlId().optional(),
    active: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
  }),
  response: pageOf(jobDto),
});

export const getJob = defineOperation({
  id: "getJob",
  method: "GET",
  path: "/api/v1/jobs/{id}",
  summary: "A job with its progress",
  tag: "Jobs",
  auth: "user",
  params: idParams,
  response: jobDto,
});

export const cancelJob = defineOperation({
  id: "cancelJob",
  method: "POST",
  path: "/api/v1/jobs/{id}/cancel",
  summary: "Cancel a queued or running job (its starter or an admin)",
  tag: "Jobs",
  auth: "user",
  params: idParams,
  response: jobDto,
});
