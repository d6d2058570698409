import type { Prisma } from "@/lib/db/client";
import { describeSystemErrors } from "@/lib/system-errors";

export const jobInclude = {
  zone: { select: { id: true, name: true } },
  createdBy: { select: { id: true, username: true } },
} satisfies Prisma.JobInclude;

type JobRow = Prisma.JobGetPayload<{ include: typeof jobInclude }>;

/**
 * A job with its plan. A step's params and result stay out: they can name objects the viewer
 * may not see (a datastore's id, a storage key).
 */
export const jobDetailInclude = {
  ...jobInclude,
  steps: {
    select: {
      key: true,
      kind: true,
      title: true,
      part: true,
      state: true,
      error: true,
      attempt: true,
      weight: true,
      startedAt: true,
      finishedAt: true,
    },
    orderBy: { seq: "asc" },
  },
} satisfies Prisma.JobInclude;

type JobDetailRow = Prisma.JobGetPayload<{ include: typeof jobDetailInclude }>;

export function toJobDto(j: JobRow) {
  return {
    id: j.id,
    kind: j.kind,
    title: j.title,
    zone: j.zone,
    state: j.state,
    phase: j.phase,
    objectType: j.objectType,
    objectId: j.objectId,
    bytesDone: Number(j.bytesDone),
    bytesTotal: j.bytesTotal === null ? null : Number(j.bytesTotal),
    rateBps: j.rateBps,
    error: describeSystemErrors(j.error),
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    cancelRequested: j.cancelRequested,
    createdBy: j.createdBy ? { id: j.createdBy.id, name: j.createdBy.username } : null,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    updatedAt: j.updatedAt,
  };
}

export function toJobDetailDto(j: JobDetailRow) {
  return {
    ...toJobDto(j),
    steps: j.steps.map((s) => ({
      key: s.key,
      kind: s.kind,
      title: s.title,
      part: s.part,
      state: s.state,
      error: describeSystemErrors(s.error),
      attempt: s.attempt,
      weight: s.weight === null ? null : Number(s.weight),
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
    })),
  };
}

export function toJobSummary(j: {
  id: number;
  kind: string;
  state: string;
  phase: string;
  bytesDone: bigint;
  bytesTotal: bigint | null;
  rateBps: number;
  error: string;
  cancelRequested: boolean;
  createdById: number | null;
}) {
  return {
    cancelRequested: j.cancelRequested,
    createdById: j.createdById,
    id: j.id,
    kind: j.kind,
    state: j.state,
    phase: j.phase,
    bytesDone: Number(j.bytesDone),
    bytesTotal: j.bytesTotal === null ? null : Number(j.bytesTotal),
    rateBps: j.rateBps,
    error: describeSystemErrors(j.error),
  };
}
