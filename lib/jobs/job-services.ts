import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import type { Ctx } from "@/lib/auth/context";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { jobDetailInclude, jobInclude, toJobDetailDto, toJobDto } from "./job-dto";
import { cancelQueuedJob } from "./worker";

// Jobs are read and cancelled through these three services.

/** Jobs run in their zone: each portal shows its own zone's, and non-admins only those they started. */
const visible = (ctx: Ctx): Prisma.JobWhereInput =>
  ctx.user.isAdmin ? { zoneId: ctx.zone.id } : { zoneId: ctx.zone.id, createdById: ctx.user.id };

type JobState = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

export async function listJobs({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: {
    page: number;
    perPage: number;
    sort: "id" | "createdAt" | "state" | "kind";
    order: "asc" | "desc";
    q?: string;
    state?: JobState | JobState[];
    objectType?: string;
    objectId?: number;
    active?: boolean;
  };
}) {
  const states = input.state === undefined ? undefined : Array.isArray(input.state) ? input.state : [input.state];
  const where: Prisma.JobWhereInput = {
    AND: [
      visible(ctx),
      states ? { state: { in: states } } : {},
      input.active === true
        ? { state: { in: ["QUEUED", "RUNNING"] } }
        : input.active === false
          ? { state: { notIn: ["QUEUED", "RUNNING"] } }
          : {},
      input.objectType ? { objectType: input.objectType } : {},
      input.objectId ? { objectId: input.objectId } : {},
      input.q ? { OR: [{ title: containsInsensitive(input.q) }, { kind: containsInsensitive(input.q) }] } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db().job.findMany({
      where,
      include: jobInclude,
      orderBy: [{ [input.sort]: input.order }, { id: "desc" }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().job.count({ where }),
  ]);
  return { items: rows.map(toJobDto), total, page: input.page, perPage: input.perPage };
}

/** A job with its plan (the list leaves the plans out). */
export async function getJob({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const job = await db().job.findFirst({ where: { id: input.id, ...visible(ctx) }, include: jobDetailInclude });
  if (!job) throw notFound(`Job ${input.id}`);
  return toJobDetailDto(job);
}

/**
 * A queued job is cancelled at once (even when no worker is free to pick it up); a running
 * one is asked to stop and its worker notices within a heartbeat, cleans up and marks it
 * CANCELLED.
 */
export async function cancelJob({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const job = await db().job.findFirst({ where: { id: input.id, ...visible(ctx) } });
  if (!job) throw notFound(`Job ${input.id}`);
  if (job.state !== "QUEUED" && job.state !== "RUNNING") {
    throw new AppError("WRONG_STATE", `Job ${job.id} is ${job.state} and can no longer be cancelled`);
  }
  if (job.state !== "QUEUED" || !(await cancelQueuedJob(job))) {
    await db().job.updateMany({
      where: { id: job.id, state: { in: ["QUEUED", "RUNNING"] } },
      data: { cancelRequested: true },
    });
  }
  await recordAudit(ctx, { action: "job.cancel", objectType: "JOB", objectId: job.id, objectName: job.title });
  return getJob({ ctx, input });
}
