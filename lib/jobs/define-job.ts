import type { z } from "zod";
import type { DbLike } from "@/lib/auth/context";

/** What a running handler gets: its input, a cancel signal, and a progress reporter. */
export interface JobContext<P> {
  jobId: number;
  attempt: number;
  payload: P;
  signal: AbortSignal;
  /** report bytes moved so far (persisted, throttled), optionally the total and a phase name */
  progress(update: { bytesDone?: number; bytesTotal?: number | null; phase?: string }): void;
  /**
   * Runs `fn` in a transaction that first checks this attempt still holds the lease and extends
   * it: what `fn` writes is committed only by the attempt that owns the job.
   */
  inLease<T>(fn: (tx: DbLike) => Promise<T>): Promise<T>;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  kind: string;
  schema: S;
  /** must be idempotent: a retry after a crash starts it again from the top */
  run(ctx: JobContext<z.output<S>>): Promise<void>;
  /** called once when the job ends FAILED or CANCELLED, to leave its object in a clean state */
  onGiveUp?(payload: z.output<S>, reason: string, jobId: number): Promise<void>;
  maxAttempts?: number;
}

/** A failure that retrying cannot fix (bad checksum, refused URL, no space): fail at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}
