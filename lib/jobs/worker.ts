import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { PermanentJobError, type JobDefinition } from "./define-job";
import { JobPulse } from "./job-pulse";
import { listenForJobs, onJobQueued, watchJobFile } from "./job-wake";
import { jobDefinition } from "./registry";
import { retryDelayMs } from "./retry-delay";
import { runSchedules } from "./schedules";

const leaseMs = () => getConfig().jobLeaseSeconds * 1000;
/** heartbeats come several times per lease, so one slow write does not lose the job */
const heartbeatMs = () => Math.max(250, Math.min(3000, leaseMs() / 4));
const PROGRESS_MS = 1_000;
/** how often a worker looks for periodic work that is due (monitors, housekeeping) */
const SCHEDULE_MS = 5_000;

export interface WorkerOptions {
  zoneId: number;
  concurrency?: number;
  /**
   * how often the worker looks for work on its own: jobs whose retry delay ran out, jobs of a
   * worker that died, and queued jobs whose wake it missed (queued jobs wake it otherwise: see
   * job-wake.ts)
   */
  pollMs?: number;
  log?: (line: string) => void;
}

/**
 * Runs the jobs of one zone. Any number of workers (in any number of processes sharing the
 * database) can run: a job is claimed by a conditional update, and the claim is a lease that
 * the heartbeat extends. A job whose lease expired was running in a worker that died, so it
 * is claimed again (a new attempt) or, when that was its last attempt, failed with the reason;
 * `attempts` never exceeds `maxAttempts`.
 */
export function startWorker(opts: WorkerOptions): { stop(): Promise<void>; id: string; ready: Promise<void> } {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = opts.concurrency ?? 2;
  const pollMs = opts.pollMs ?? 500;
  const log = opts.log ?? ((l: string) => console.log(`[worker] ${l}`));
  const running = new Map<number, Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | null = null;
  let scheduledAt = 0;
  /** a job was announced since the poll in flight started: look again when it ends */
  let woken = false;

  const poll = async () => {
    try {
      if (Date.now() - scheduledAt >= SCHEDULE_MS) {
        scheduledAt = Date.now();
        await runSchedules(opts.zoneId, log);
      }
      woken = false;
      while (!stopped && running.size < concurrency) {
        const claim = await claimNext(opts.zoneId, id, [...running.keys()]);
        if (!claim) break;
        const { job } = claim;
        // a rejection here would be unhandled (and end the process): log it instead
        const p = execute(claim, id, log)
          .catch((err) => log(`job ${job.id} (${job.kind}) could not be settled: ${(err as Error).message}`))
          .finally(() => {
            running.delete(job.id);
            // a free slot: a job that waited for one need not wait for the next poll
            wake();
          });
        running.set(job.id, p);
      }
    } catch (err) {
      log(`poll failed: ${(err as Error).message}`);
    }
  };
  let polledOnce!: () => void;
  const firstPoll = new Promise<void>((r) => (polledOnce = r));
  const tick = async () => {
    if (stopped) return;
    polling = poll();
    await polling;
    polling = null;
    polledOnce();
    if (!stopped) timer = setTimeout(tick, woken ? 0 : pollMs);
  };
  /** Polls now, or right after the poll in flight. */
  const wake = () => {
    if (stopped) return;
    woken = true;
    if (polling) return;
    clearTimeout(timer);
    timer = setTimeout(tick, 0);
  };
  timer = setTimeout(tick, 0);

  const unsubscribe = onJobQueued((zoneId) => zoneId === opts.zoneId && wake());
  const { sqlitePath } = getConfig();
  const listening = sqlitePath
    ? watchJobFile({ sqlitePath, zoneId: opts.zoneId, onJob: wake, log })
    : listenForJobs({ zoneId: opts.zoneId, onJob: wake, log });

  return {
    id,
    /** resolves after the first look for work, once queued jobs of other processes wake this worker */
    ready: Promise.all([firstPoll, listening]).then(() => {}),
    async stop() {
      stopped = true;
      polledOnce();
      clearTimeout(timer);
      unsubscribe();
      await (await listening).close();
      // a poll in flight may still claim a job: wait for it, then for every job it started
      await polling;
      await Promise.allSettled(running.values());
    },
  };
}

type Claim = NonNullable<Awaited<ReturnType<typeof claimNext>>>;

/**
 * `mine` are the jobs this worker runs: a late heartbeat (a busy machine) can let their lease
 * lapse, and claiming one again would run it twice under the same owner, which the lease
 * checks cannot tell apart. A job with no attempts left is claimed without a new attempt
 * (`exhausted`), only to be failed and cleaned up under the lease.
 */
async function claimNext(zoneId: number, workerId: string, mine: number[]) {
  const now = new Date();
  const candidates = await db().job.findMany({
    where: {
      zoneId,
      id: { notIn: mine },
      OR: [
        { state: "QUEUED", runAfter: { lte: now } },
        { state: "RUNNING", leaseUntil: { lt: now } },
      ],
    },
    orderBy: { id: "asc" },
    take: 5,
  });
  for (const c of candidates) {
    const exhausted = c.attempts >= c.maxAttempts;
    // The conditional update is the lock: only one worker sees count 1. It matches the lease
    // that was seen to lapse, so a heartbeat that came meanwhile keeps the job where it runs.
    const { count } = await db().job.updateMany({
      where: { id: c.id, state: c.state, leaseOwner: c.leaseOwner, leaseUntil: c.leaseUntil, attempts: c.attempts },
      data: {
        state: "RUNNING",
        leaseOwner: workerId,
        leaseUntil: new Date(Date.now() + leaseMs()),
        heartbeatAt: new Date(),
        ...(exhausted ? {} : { attempts: { increment: 1 } }),
        startedAt: c.startedAt ?? new Date(),
        error: c.state === "RUNNING" && !exhausted ? "the worker running this job stopped; retrying" : c.error,
      },
    });
    if (count === 1) {
      const job = await db().job.findUniqueOrThrow({ where: { id: c.id } });
      return { job, exhausted: exhausted ? exhaustedReason(c) : null };
    }
  }
  return null;
}

function exhaustedReason(job: { state: string; attempts: number; maxAttempts: number }): string {
  return job.state === "RUNNING"
    ? `the worker running it stopped during attempt ${job.attempts} of ${job.maxAttempts}; giving up`
    : `no attempts left (${job.attempts} of ${job.maxAttempts} used)`;
}

async function execute({ job, exhausted }: Claim, workerId: string, log: (l: string) => void) {
  const def = jobDefinition(job.kind);
  if (!def) return finish(job.id, workerId, "FAILED", `unknown job kind ${job.kind}`);
  let payload: unknown;
  try {
    payload = def.schema.parse(JSON.parse(job.payload));
  } catch (err) {
    return finish(job.id, workerId, "FAILED", `bad job payload: ${(err as Error).message}`, def, undefined);
  }
  if (job.cancelRequested) return finish(job.id, workerId, "CANCELLED", CANCELLED_REASON, def, payload);
  if (exhausted) return finish(job.id, workerId, "FAILED", exhausted, def, payload);

  const pulse = new JobPulse(job, workerId, {
    leaseMs: leaseMs(),
    heartbeatMs: heartbeatMs(),
    progressMs: PROGRESS_MS,
    log,
  });
  pulse.start();
  try {
    await def.run({
      jobId: job.id,
      attempt: job.attempts,
      payload,
      signal: pulse.abort.signal,
      inLease: (fn) => inLease(job.id, workerId, job.attempts, fn),
      progress: (update) => pulse.report(update),
    });
    pulse.stop();
    await pulse.flush().catch(() => {});
    await finish(job.id, workerId, "SUCCEEDED", "");
  } catch (err) {
    pulse.stop();
    if (pulse.cancelled) return finish(job.id, workerId, "CANCELLED", CANCELLED_REASON, def, payload);
    const reason = (err as Error).message;
    const permanent = err instanceof PermanentJobError || job.attempts >= job.maxAttempts;
    if (permanent) return finish(job.id, workerId, "FAILED", reason, def, payload);
    log(`job ${job.id} (${job.kind}) attempt ${job.attempts} failed, will retry: ${reason}`);
    await requeue(job, workerId, reason);
  }
}

/** Back in the queue after a failure that a retry may fix, after a growing delay. */
async function requeue(job: { id: number; attempts: number }, workerId: string, reason: string) {
  await db().job.updateMany({
    where: { id: job.id, leaseOwner: workerId },
    data: {
      state: "QUEUED",
      error: reason,
      leaseOwner: "",
      leaseUntil: null,
      runAfter: new Date(Date.now() + retryDelayMs(job.attempts)),
    },
  });
}

const CANCELLED_REASON = "cancelled by a user";

/**
 * A transaction that holds only while `attempt` of the job still owns its lease: a
 * conditional update extends the lease first, so a worker that stalled past its lease
 * cannot commit over the attempt that replaced it.
 */
export async function inLease<T>(
  jobId: number,
  workerId: string,
  attempt: number,
  fn: (tx: DbLike) => Promise<T>,
): Promise<T> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id: jobId, leaseOwner: workerId, attempts: attempt, state: "RUNNING" },
      data: { leaseUntil: new Date(Date.now() + leaseMs()), heartbeatAt: new Date() },
    });
    if (count !== 1) throw new Error("this attempt lost the job's lease; another attempt owns it now");
    return fn(tx);
  });
}

/**
 * Cancels a job that waits in the queue, at once: the conditional update wins against any
 * worker's claim, and the job's clean-up runs here. False when a worker claimed it first
 * (the caller then asks that worker to stop).
 */
export async function cancelQueuedJob(job: { id: number; kind: string; payload: string }): Promise<boolean> {
  const { count } = await db().job.updateMany({
    where: { id: job.id, state: "QUEUED" },
    data: {
      state: "CANCELLED",
      cancelRequested: true,
      error: CANCELLED_REASON,
      finishedAt: new Date(),
      leaseOwner: "",
      leaseUntil: null,
      rateBps: 0,
    },
  });
  if (count !== 1) return false;
  const def = jobDefinition(job.kind);
  let payload: unknown;
  try {
    payload = def?.schema.parse(JSON.parse(job.payload));
  } catch {
    return true; // a payload no handler can read has nothing to clean up
  }
  if (def?.onGiveUp)
    await def
      .onGiveUp(payload, CANCELLED_REASON, job.id)
      .catch((e) => console.error(`[worker] cleanup of job ${job.id} failed:`, e));
  return true;
}

async function finish(
  jobId: number,
  workerId: string,
  state: "SUCCEEDED" | "FAILED" | "CANCELLED",
  error: string,
  def?: JobDefinition,
  payload?: unknown,
) {
  // Clean up only while this worker still holds the job (another attempt that claimed it
  // after our lease lapsed owns the object now), and keep holding it while the clean-up
  // runs: an undo that outlasted the lease would let a new attempt commit what it removes.
  const extend = () =>
    db().job.updateMany({
      where: { id: jobId, leaseOwner: workerId, state: "RUNNING", leaseUntil: { gt: new Date() } },
      data: { leaseUntil: new Date(Date.now() + leaseMs()), heartbeatAt: new Date() },
    });
  if (state !== "SUCCEEDED" && def?.onGiveUp && payload !== undefined && (await extend()).count === 1) {
    const keep = setInterval(() => void extend().catch(() => {}), heartbeatMs());
    try {
      await def.onGiveUp(payload, error, jobId);
    } catch (e) {
      console.error(`[worker] cleanup of job ${jobId} failed:`, e);
    } finally {
      clearInterval(keep);
    }
  }
  await db().job.updateMany({
    where: { id: jobId, leaseOwner: workerId },
    data: { state, error, finishedAt: new Date(), leaseUntil: null, rateBps: 0 },
  });
}
