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

export const JOB_STEP_STATES = ["PENDING", "RUNNING", "DONE", "FAILED", "COMPENSATED", "UNDO_FAILED"] as const;

/** One step of a job's plan, in the order it runs; its params and result are internal. */
export const jobStepDto = z.object({
  key: z.string(),
  kind: z.string(),
  title: z.string(),
  /** what the step works on, named in its failure; empty when it is the job's own object */
  part: z.string(),
  state: z.enum(JOB_STEP_STATES),
  /** why it failed, or why undoing it failed (UNDO_FAILED) */
  error: z.string(),
  attempt: z.number().int(),
  /** bytes it moves, for the job's progress (null until it knows) */
  weight: z.number().nullable(),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
});
export type JobStepDto = z.infer<typeof jobStepDto>;

/** A job with its plan; a job that is not run as a plan (a marketplace monitor) has no steps. */
export const jobDetailDto = jobDto.extend({ steps: z.array(jobStepDto) });
export type JobDetailDto = z.infer<typeof jobDetailDto>;

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
  summary: "A job with its progress and its plan of steps",
  tag: "Jobs",
  auth: "user",
  params: idParams,
  response: jobDetailDto,
});

export const cancelJob = defineOperation({
  id: "cancelJob",
  method: "POST",
  path: "/api/v1/jobs/{id}/cancel",
  summary: "Cancel a queued or running job (its starter or an admin)",
  tag: "Jobs",
  auth: "user",
  params: idParams,
  response: jobDetailDto,
});
