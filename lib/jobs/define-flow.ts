import type { z } from "zod";
import type { DbLike } from "@/lib/auth/context";

/** What a running step gets: the cancel signal, a progress reporter and the earlier results. */
export interface StepContext {
  jobId: number;
  signal: AbortSignal;
  /**
   * Bytes this step has moved (counted against its weight in the job's progress), a total for
   * a step whose weight the plan could not know, and what it is doing now.
   */
  progress(update: { bytesDone?: number; bytesTotal?: number; phase?: string }): void;
  /**
   * Throws unless this attempt still holds the job's lease: called right before bytes become
   * visible (a commit, a move), so that an attempt that stalled past its lease does not
   * overwrite what the attempt that replaced it wrote.
   */
  fence(): Promise<void>;
  /** the result of an earlier step of the plan, read with that step's schema */
  resultOf<R>(step: { result: z.ZodType<R> }, key: string): R;
}

/**
 * A kind of step (Temporal's activity, Documenso's `io.runTask`): it runs once per plan unless
 * it fails, and its result is kept so a retried job skips it.
 */
export interface StepKind<P, R> {
  kind: string;
  params: z.ZodType<P>;
  result: z.ZodType<R>;
  /** the work; it may be run again when an attempt died before it was marked done */
  run(ctx: StepContext, params: P): Promise<R>;
  /** rows it writes, in the transaction that marks it done (so both happen or neither) */
  record?(tx: DbLike, params: P, result: R): Promise<void>;
  /**
   * Undoes the step when its job gives up: with its result when it finished, with null when
   * an attempt started it and did not finish (so it undoes from `params` alone). Idempotent.
   */
  compensate?(params: P, result: R | null): Promise<void>;
  /** the point of no return: once it is done, a job that fails later undoes nothing */
  pivot?: boolean;
}

/** A step kind of any input and result, as a flow lists them (each checks its own at run time). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStepKind = StepKind<any, any>;

export function defineStep<P, R>(step: StepKind<P, R>): StepKind<P, R> {
  return step;
}

/** One step of a plan: what runs (kind and input), its key in the plan, and its share of the bytes. */
export interface PlannedStep {
  key: string;
  /** what the job page shows while it runs ("transferring ubuntu (1/3)") */
  title: string;
  kind: string;
  params: unknown;
  /** bytes it moves; null when only running it tells */
  weight: number | null;
  /** what it works on, when the plan has several of them: its failure names it */
  part?: string;
}

/** A planned step, with its input checked against its kind at compile time. */
export function step<P>(
  kind: StepKind<P, unknown>,
  key: string,
  title: string,
  params: NoInfer<P>,
  weight: number | null = 0,
): PlannedStep {
  return { key, title, kind: kind.kind, params, weight };
}

/**
 * A job whose work is a plan of steps: `load` reads the rows the plan depends on, `plan` turns
 * them into steps without touching anything (so it is tested on its own), and one executor
 * (run-plan.ts) runs any plan. The plan is written on the first attempt and kept.
 */
export interface FlowDefinition<S extends z.ZodType, L> {
  kind: string;
  schema: S;
  maxAttempts?: number;
  /** every kind of step its plans use */
  steps: AnyStepKind[];
  load(payload: z.output<S>): Promise<L>;
  plan(payload: z.output<S>, loaded: L): PlannedStep[];
  /** after the undo of a job that gave up (or was cancelled): leave its objects in a clean state */
  release?(payload: z.output<S>, reason: string): Promise<void>;
}
