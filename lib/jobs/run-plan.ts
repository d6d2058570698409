import type { z } from "zod";
import { db } from "@/lib/db/client";
import { defineJob, PermanentJobError, type JobContext, type JobDefinition } from "./define-job";
import type { AnyStepKind, FlowDefinition, PlannedStep, StepContext } from "./define-flow";

type StepRow = Awaited<ReturnType<typeof stepsOf>>[number];

/** A flow as a job: the worker runs its plan and, when it gives up, undoes it. */
export function defineFlow<S extends z.ZodType, L>(flow: FlowDefinition<S, L>): JobDefinition<S> {
  const kinds = new Map(flow.steps.map((s) => [s.kind, s]));
  return defineJob({
    kind: flow.kind,
    schema: flow.schema,
    maxAttempts: flow.maxAttempts ?? 3,
    run: (job) => runPlan(job, kinds, () => flow.load(job.payload).then((rows) => flow.plan(job.payload, rows))),
    async onGiveUp(payload, reason, jobId) {
      await undoPlan(jobId, kinds);
      await flow.release?.(payload, reason);
    },
  });
}

const stepsOf = (jobId: number) => db().jobStep.findMany({ where: { jobId }, orderBy: { seq: "asc" } });

type RunningJob = Pick<JobContext<unknown>, "jobId" | "attempt" | "signal" | "progress" | "inLease">;

/**
 * Runs a job's plan: on the first attempt the plan is made and written (in the lease), then
 * each step that is not DONE runs, and is marked DONE with its result in one transaction with
 * the rows it records, under the lease. A retry reads the written plan and skips what is done.
 */
export async function runPlan(
  job: RunningJob,
  kinds: Map<string, AnyStepKind>,
  makePlan: () => Promise<PlannedStep[]>,
): Promise<void> {
  const rows = await writtenPlan(job, kinds, makePlan);
  const results = new Map<string, unknown>();
  const progress = new PlanProgress(job, rows);
  for (const [i, row] of rows.entries()) {
    const kind = kinds.get(row.kind);
    if (!kind) throw new PermanentJobError(`step ${row.key} is of an unknown kind ${row.kind}`);
    if (row.state === "DONE") {
      results.set(row.key, JSON.parse(row.result));
      continue;
    }
    job.signal.throwIfAborted();
    const ctx: StepContext = {
      jobId: job.jobId,
      signal: job.signal,
      progress: (u) => progress.ofStep(i, u),
      fence: () => job.inLease(async () => {}),
      resultOf(step, key) {
        if (!results.has(key)) throw new Error(`step ${row.key} reads step ${key}, which has not run`);
        return step.result.parse(results.get(key));
      },
    };
    results.set(row.key, await runStep(job, kind, row, ctx, () => progress.weightOf(i)));
    progress.done(i);
  }
}

/** The job's plan as written on its first attempt; written now when this is the first. */
async function writtenPlan(job: RunningJob, kinds: Map<string, AnyStepKind>, makePlan: () => Promise<PlannedStep[]>) {
  const rows = await stepsOf(job.jobId);
  if (rows.length > 0) return rows;
  const plan = checkPlan(await makePlan(), kinds);
  await job.inLease((tx) =>
    tx.jobStep.createMany({
      data: plan.map((s, seq) => ({
        jobId: job.jobId,
        seq,
        key: s.key,
        kind: s.kind,
        title: s.title,
        part: s.part ?? "",
        params: JSON.stringify(s.params),
        weight: s.weight === null ? null : BigInt(s.weight),
      })),
    }),
  );
  return stepsOf(job.jobId);
}

/**
 * A job's progress over its plan: the total is the sum of the steps' weights (a weight the
 * plan did not know counts once the step reports it), and a running step's bytes count from
 * the end of the steps before it, never past its own weight.
 */
class PlanProgress {
  private readonly weights: (number | null)[];
  private readonly moved: number[];
  private before: number;

  constructor(
    private readonly job: RunningJob,
    private readonly rows: StepRow[],
  ) {
    this.weights = rows.map((r) => (r.weight === null ? null : Number(r.weight)));
    this.moved = rows.map(() => 0);
    this.before = rows.reduce((sum, r, i) => sum + (r.state === "DONE" ? (this.weights[i] ?? 0) : 0), 0);
    job.progress({ bytesDone: this.before, bytesTotal: this.total() });
  }

  private total() {
    return this.weights.reduce<number>((sum, w) => sum + (w ?? 0), 0);
  }

  ofStep(i: number, u: { bytesDone?: number; bytesTotal?: number; phase?: string }) {
    if (u.bytesDone !== undefined) this.moved[i] = u.bytesDone;
    if (u.bytesTotal !== undefined && this.rows[i].weight === null) {
      this.weights[i] = u.bytesTotal;
      this.job.progress({ bytesTotal: this.total() });
    }
    const cap = this.weights[i] ?? u.bytesDone ?? 0;
    this.job.progress({
      ...(u.bytesDone !== undefined && { bytesDone: this.before + Math.min(u.bytesDone, cap) }),
      ...(u.phase !== undefined && { phase: u.phase }),
    });
  }

  /** its weight, or for a step whose size nobody told, what it moved */
  weightOf(i: number): number | null {
    return this.weights[i] ?? (this.moved[i] > 0 ? this.moved[i] : null);
  }

  done(i: number) {
    if (this.weights[i] === null && this.weightOf(i) !== null) {
      this.weights[i] = this.weightOf(i);
      this.job.progress({ bytesTotal: this.total() });
    }
    this.before += this.weights[i] ?? 0;
    this.job.progress({ bytesDone: this.before });
  }
}

async function runStep(
  job: RunningJob,
  kind: AnyStepKind,
  row: StepRow,
  ctx: StepContext,
  weight: () => number | null,
): Promise<unknown> {
  const where = { jobId_seq: { jobId: row.jobId, seq: row.seq } };
  const params = kind.params.parse(JSON.parse(row.params));
  // under the lease: an attempt that lost it must not start a step another attempt finished
  await job.inLease(async (tx) => {
    const { count } = await tx.jobStep.updateMany({
      where: { jobId: row.jobId, seq: row.seq, state: { in: ["PENDING", "RUNNING", "FAILED"] } },
      data: { state: "RUNNING", attempt: job.attempt, startedAt: new Date(), finishedAt: null, error: "" },
    });
    if (count !== 1) throw new Error(`step ${row.key} is no longer to run`);
  });
  job.progress({ phase: row.title });
  try {
    const result = kind.result.parse(await kind.run(ctx, params));
    job.signal.throwIfAborted(); // a cancel that came while it ran wins over its result
    await job.inLease(async (tx) => {
      await kind.record?.(tx, params, result);
      await tx.jobStep.update({
        where,
        data: {
          state: "DONE",
          result: JSON.stringify(result ?? null),
          finishedAt: new Date(),
          // a weight only running could tell is kept, for the job page
          ...(row.weight === null && weight() !== null && { weight: BigInt(weight() ?? 0) }),
        },
      });
    });
    return result;
  } catch (err) {
    const error = job.signal.aborted ? "stopped" : (err as Error).message;
    await db()
      .jobStep.updateMany({
        where: { jobId: row.jobId, seq: row.seq, state: "RUNNING", attempt: job.attempt },
        data: { state: "FAILED", error, finishedAt: new Date() },
      })
      .catch(() => {});
    throw row.part && !job.signal.aborted ? blame(err, row.part) : err;
  }
}

/** Keys are unique and every kind is one the flow knows: a plan that breaks this is a bug. */
function checkPlan(plan: PlannedStep[], kinds: Map<string, AnyStepKind>): PlannedStep[] {
  const keys = new Set<string>();
  for (const s of plan) {
    const kind = kinds.get(s.kind);
    if (!kind) throw new PermanentJobError(`the plan has a step of an unknown kind ${s.kind}`);
    if (keys.has(s.key)) throw new PermanentJobError(`the plan has two steps ${s.key}`);
    keys.add(s.key);
    kind.params.parse(s.params);
  }
  return plan;
}

/**
 * Undoes what a job that gives up did: unless its pivot step is done, each step that started
 * (DONE, or RUNNING/FAILED: an attempt began it) is compensated, last first. A compensation
 * that fails is recorded on its step (UNDO_FAILED) and the others still run.
 */
export async function undoPlan(jobId: number, kinds: Map<string, AnyStepKind>): Promise<void> {
  const rows = await stepsOf(jobId);
  const committed = rows.some((r) => r.state === "DONE" && kinds.get(r.kind)?.pivot);
  if (committed) return;
  for (const row of [...rows].reverse()) {
    if (row.state === "PENDING" || row.state === "COMPENSATED") continue;
    const kind = kinds.get(row.kind);
    if (!kind?.compensate) continue;
    const where = { jobId_seq: { jobId, seq: row.seq } };
    try {
      const params = kind.params.parse(JSON.parse(row.params));
      const result = row.state === "DONE" ? kind.result.parse(JSON.parse(row.result)) : null;
      await kind.compensate(params, result);
      await db().jobStep.update({ where, data: { state: "COMPENSATED" } });
    } catch (err) {
      await db()
        .jobStep.update({ where, data: { state: "UNDO_FAILED", error: (err as Error).message } })
        .catch(() => {});
    }
  }
}

/** The same failure, with the part that failed named (a permanent one stays permanent). */
function blame(err: unknown, part: string): Error {
  const message = `${part} failed: ${(err as Error).message}`;
  return err instanceof PermanentJobError ? new PermanentJobError(message) : new Error(message);
}
