import { db } from "@/lib/db/client";
import { createRateMeter } from "@/lib/transfer/rate";

/** A cancel asked for by a user, as the reason of a job's abort signal. */
class CancelledError extends Error {
  constructor() {
    super("cancelled");
  }
}

type Update = { bytesDone?: number; bytesTotal?: number | null; phase?: string };

/**
 * The heartbeat of a running job: it extends the lease, writes progress (at most once per
 * `progressMs`, with a smoothed rate for a steady ETA) and aborts the run when the lease is
 * lost or a user asked to cancel.
 */
export class JobPulse {
  readonly abort = new AbortController();
  private pending: Update = {};
  // progress is written every progressMs at most: a sample per write, smoothed over a few
  private readonly rate = createRateMeter({ halfLifeMs: 2000, minIntervalMs: 1 });
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly job: { id: number; bytesDone: bigint },
    private readonly workerId: string,
    private readonly opts: { leaseMs: number; heartbeatMs: number; progressMs: number; log: (line: string) => void },
  ) {
    this.rate.sample(Number(job.bytesDone));
  }

  start() {
    this.timer = setInterval(
      () => void this.flush().catch((e) => this.opts.log(`heartbeat of job ${this.job.id}: ${e.message}`)),
      this.opts.heartbeatMs,
    );
  }

  stop() {
    clearInterval(this.timer);
  }

  report(update: Update) {
    this.pending = { ...this.pending, ...update };
    if (Date.now() - this.lastWrite < this.opts.progressMs) return;
    this.lastWrite = Date.now();
    void this.flush().catch((e) => this.opts.log(`progress of job ${this.job.id}: ${e.message}`));
  }

  async flush() {
    const update = this.pending;
    this.pending = {};
    const data: Record<string, unknown> = {
      heartbeatAt: new Date(),
      leaseUntil: new Date(Date.now() + this.opts.leaseMs),
    };
    if (update.bytesDone !== undefined) {
      data.bytesDone = BigInt(Math.floor(update.bytesDone));
      data.rateBps = this.rate.sample(update.bytesDone);
    }
    if (update.bytesTotal !== undefined)
      data.bytesTotal = update.bytesTotal === null ? null : BigInt(Math.floor(update.bytesTotal));
    if (update.phase !== undefined) data.phase = update.phase;
    const { count } = await db().job.updateMany({
      where: { id: this.job.id, leaseOwner: this.workerId, state: "RUNNING" },
      data,
    });
    if (count === 0) this.abort.abort(new Error("lost the job's lease"));
    const row = await db().job.findUnique({ where: { id: this.job.id }, select: { cancelRequested: true } });
    if (row?.cancelRequested) this.abort.abort(new CancelledError());
  }

  /** whether the run ended because a user cancelled it */
  get cancelled() {
    return this.abort.signal.aborted && this.abort.signal.reason instanceof CancelledError;
  }
}
