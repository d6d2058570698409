import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineStep, step, type AnyStepKind, type PlannedStep } from "@/lib/jobs/define-flow";
import { PermanentJobError, type JobContext } from "@/lib/jobs/define-job";
import { registerJobForTests } from "@/lib/jobs/registry";
import { defineFlow, runPlan, undoPlan } from "@/lib/jobs/run-plan";
import { inLease, startWorker } from "@/lib/jobs/worker";
import { getConfig, setConfigForTests } from "@/lib/config";
import { waitFor } from "../support/images";
import { localZone } from "@/lib/zones/local-zone";

/**
 * The step executor on its own, against the database: a plan is written once, a retry skips
 * what is done, results reach later steps, a failed job is undone in reverse up to its pivot,
 * a step's rows commit with its DONE only under the lease, and progress is the sum of weights.
 */
let zoneId: number;
let log: string[];
/** which step keys fail on their next run, and how */
let failing: Map<string, Error>;

beforeAll(async () => {
  zoneId = (await localZone()).id;
});
beforeEach(() => {
  log = [];
  failing = new Map();
});

const work = defineStep({
  kind: "test.work",
  params: z.object({ name: z.string() }),
  result: z.object({ made: z.string() }),
  async run(ctx, p) {
    log.push(`run ${p.name}`);
    ctx.progress({ bytesDone: 5 });
    const err = failing.get(p.name);
    if (err) {
      failing.delete(p.name);
      throw err;
    }
    return { made: `${p.name}-made` };
  },
  async compensate(p, r) {
    log.push(`undo ${p.name} ${r ? r.made : "(unfinished)"}`);
  },
});

const useEarlier = defineStep({
  kind: "test.use",
  params: z.object({ from: z.string() }),
  result: z.object({ saw: z.string() }),
  async run(ctx, p) {
    const saw = ctx.resultOf(work, p.from).made;
    log.push(`use ${saw}`);
    return { saw };
  },
});

/** The pivot: it records a row (the job's title) in the transaction that marks it done. */
const commit = defineStep({
  kind: "test.commit",
  params: z.object({ title: z.string() }),
  result: z.object({}),
  run: async () => ({}),
  async record(tx, p) {
    log.push("commit");
    await tx.job.updateMany({ where: { title: "plan-test" }, data: { phase: p.title } });
  },
  pivot: true,
});

const kinds = new Map<string, AnyStepKind>([work, useEarlier, commit].map((k) => [k.kind, k]));

const plan: PlannedStep[] = [
  step(work, "a", "doing a", { name: "a" }, 100),
  step(work, "b", "doing b", { name: "b" }, 50),
  step(useEarlier, "c", "using a", { from: "a" }),
  step(commit, "d", "committing", { title: "committed" }),
  step(work, "e", "after", { name: "e" }),
];

async function newJob(attempt = 1) {
  return db().job.create({
    data: { kind: "test", zoneId, title: "plan-test", state: "RUNNING", leaseOwner: "me", attempts: attempt },
  });
}

function contextOf(job: { id: number }, attempt = 1, signal = new AbortController().signal) {
  const progress: { bytesDone?: number; bytesTotal?: number | null; phase?: string }[] = [];
  const ctx: Pick<JobContext<unknown>, "jobId" | "attempt" | "signal" | "progress" | "inLease"> = {
    jobId: job.id,
    attempt,
    signal,
    progress: (u) => progress.push(u),
    inLease: (fn) => inLease(job.id, "me", attempt, fn),
  };
  return { ctx, progress };
}

const states = async (jobId: number) =>
  (await db().jobStep.findMany({ where: { jobId }, orderBy: { seq: "asc" } })).map((s) => `${s.key}:${s.state}`);

describe("runPlan", () => {
  it("writes the plan once and runs every step in order, passing results on", async () => {
    const job = await newJob();
    let planned = 0;
    const { ctx, progress } = contextOf(job);
    await runPlan(ctx, kinds, async () => (planned++, plan));
    expect(log).toEqual(["run a", "run b", "use a-made", "commit", "run e"]);
    expect(await states(job.id)).toEqual(["a:DONE", "b:DONE", "c:DONE", "d:DONE", "e:DONE"]);
    expect((await db().job.findUniqueOrThrow({ where: { id: job.id } })).phase).toBe("committed");
    // progress: the total is the sum of weights; each step counts from where the last ended
    expect(progress[0]).toEqual({ bytesDone: 0, bytesTotal: 150 });
    const done = progress.flatMap((p) => (p.bytesDone === undefined ? [] : [p.bytesDone]));
    expect(done).toEqual([0, 5, 100, 105, 150, 150, 150, 150, 150]);
    expect(progress.filter((p) => p.phase).map((p) => p.phase)).toEqual([
      "doing a",
      "doing b",
      "using a",
      "committing",
      "after",
    ]);
    // a second run of the same job plans nothing and runs nothing
    log = [];
    await runPlan(ctx, kinds, async () => (planned++, plan));
    expect(planned).toBe(1);
    expect(log).toEqual([]);
  });

  it("a retry skips the steps that are done and gives later steps their results", async () => {
    const job = await newJob();
    failing.set("b", new Error("network hiccup"));
    await expect(runPlan(contextOf(job).ctx, kinds, async () => plan)).rejects.toThrow("network hiccup");
    expect(await states(job.id)).toEqual(["a:DONE", "b:FAILED", "c:PENDING", "d:PENDING", "e:PENDING"]);
    const failed = await db().jobStep.findFirstOrThrow({ where: { jobId: job.id, key: "b" } });
    expect(failed.error).toBe("network hiccup");

    await db().job.update({ where: { id: job.id }, data: { attempts: 2 } });
    log = [];
    const { ctx, progress } = contextOf(job, 2);
    await runPlan(ctx, kinds, async () => {
      throw new Error("a retry must not plan again");
    });
    expect(log).toEqual(["run b", "use a-made", "commit", "run e"]);
    // the done step's bytes count from the start
    expect(progress[0]).toEqual({ bytesDone: 100, bytesTotal: 150 });
  });

  it("a step finished by an attempt that lost its lease is not DONE, and its rows are not written", async () => {
    const job = await newJob();
    const { ctx } = contextOf(job);
    // another worker claimed the job meanwhile (attempt 2)
    await db().job.update({ where: { id: job.id }, data: { attempts: 2, leaseOwner: "other" } });
    await expect(runPlan(ctx, kinds, async () => plan)).rejects.toThrow(/lost the job's lease/);
    expect(await db().jobStep.count({ where: { jobId: job.id } })).toBe(0);

    await db().job.update({ where: { id: job.id }, data: { attempts: 1, leaseOwner: "me" } });
    const stolen = defineStep({
      kind: "test.commit",
      params: z.object({ title: z.string() }),
      result: z.object({}),
      async run() {
        await db().job.update({ where: { id: job.id }, data: { leaseOwner: "other" } });
        return {};
      },
      record: commit.record,
      pivot: true,
    });
    await expect(runPlan(ctx, new Map([...kinds, ["test.commit", stolen]]), async () => plan)).rejects.toThrow(
      /lost the job's lease/,
    );
    expect(await states(job.id)).toEqual(["a:DONE", "b:DONE", "c:DONE", "d:FAILED", "e:PENDING"]);
    expect((await db().job.findUniqueOrThrow({ where: { id: job.id } })).phase).toBe("");
  });

  it("an attempt that stalled and lost its lease cannot start a step the new attempt finished", async () => {
    const job = await newJob();
    const { ctx } = contextOf(job);
    let takeover: Promise<unknown> | undefined;
    // right after `a` is DONE (its bytes counted), attempt 1 stalls: attempt 2 takes the job
    // over and finishes `b`, before attempt 1 goes on
    const stalling = {
      ...ctx,
      progress(u: { bytesDone?: number }) {
        if (u.bytesDone === 100 && !takeover)
          takeover = (async () => {
            await db().job.update({ where: { id: job.id }, data: { attempts: 2 } });
            await db().jobStep.updateMany({
              where: { jobId: job.id, key: "b" },
              data: { state: "DONE", attempt: 2, result: JSON.stringify({ made: "b-by-2" }) },
            });
          })();
      },
    };
    const run = runPlan(
      {
        ...stalling,
        inLease: async (fn) => {
          await takeover;
          return ctx.inLease(fn);
        },
      },
      kinds,
      async () => plan,
    );
    await expect(run).rejects.toThrow(/lost the job's lease/);
    expect(log).toEqual(["run a"]);
    const b = await db().jobStep.findFirstOrThrow({ where: { jobId: job.id, key: "b" } });
    expect([b.state, b.attempt, b.result]).toEqual(["DONE", 2, JSON.stringify({ made: "b-by-2" })]);
  });

  it("a step whose size only running tells weighs what it moved, and the weight is kept", async () => {
    const job = await newJob();
    const { ctx, progress } = contextOf(job);
    await runPlan(ctx, kinds, async () => [step(work, "a", "doing a", { name: "a" }, null), plan[1]]);
    expect(progress.at(-1)).toEqual({ bytesDone: 55 });
    expect(progress).toContainEqual({ bytesTotal: 55 });
    const a = await db().jobStep.findFirstOrThrow({ where: { jobId: job.id, key: "a" } });
    expect(a.weight).toBe(BigInt(5));
  });

  it("a cancel during a step wins over its result", async () => {
    const job = await newJob();
    const abort = new AbortController();
    const cancelling = defineStep({ ...work, run: async (_ctx, p) => (abort.abort(), { made: p.name }) });
    await expect(
      runPlan(contextOf(job, 1, abort.signal).ctx, new Map([...kinds, ["test.work", cancelling]]), async () => plan),
    ).rejects.toThrow();
    expect(await states(job.id)).toEqual(["a:FAILED", "b:PENDING", "c:PENDING", "d:PENDING", "e:PENDING"]);
  });

  it("names the part a step works on in its failure, and a permanent failure stays permanent", async () => {
    const job = await newJob();
    failing.set("a", new PermanentJobError("bad checksum"));
    const err = await runPlan(contextOf(job).ctx, kinds, async () => [{ ...plan[0], part: "disk 1" }]).catch((e) => e);
    expect(err).toBeInstanceOf(PermanentJobError);
    expect(err.message).toBe("disk 1 failed: bad checksum");
  });

  it("refuses a plan with two steps of one key or of a kind the flow does not know", async () => {
    const job = await newJob();
    await expect(runPlan(contextOf(job).ctx, kinds, async () => [plan[0], plan[0]])).rejects.toThrow(
      "the plan has two steps a",
    );
    await expect(
      runPlan(contextOf(job).ctx, kinds, async () => [{ ...plan[0], kind: "test.unknown" }]),
    ).rejects.toThrow(/unknown kind test.unknown/);
    await expect(
      runPlan(contextOf(job).ctx, kinds, async () => [{ ...plan[0], params: { name: 5 } }]),
    ).rejects.toThrow();
    expect(await db().jobStep.count({ where: { jobId: job.id } })).toBe(0);
  });
});

describe("a job's steps", () => {
  it("go with their job (pruning finished jobs removes their plans)", async () => {
    const job = await newJob();
    await runPlan(contextOf(job).ctx, kinds, async () => plan);
    expect(await db().jobStep.count({ where: { jobId: job.id } })).toBe(5);
    await db().job.delete({ where: { id: job.id } });
    expect(await db().jobStep.count({ where: { jobId: job.id } })).toBe(0);
  });
});

describe("a worker giving up", () => {
  it("holds the job while it undoes it: no other worker takes it over and commits what the undo removes", async () => {
    setConfigForTests({ ...getConfig(), jobLeaseSeconds: 1 });
    const slowUndo = defineStep({
      ...work,
      async compensate(p) {
        log.push(`undo ${p.name}`);
        await new Promise((r) => setTimeout(r, 3000)); // three leases
      },
    });
    registerJobForTests(
      defineFlow({
        kind: "test.slow-undo",
        schema: z.object({}),
        steps: [slowUndo],
        load: async () => null,
        plan: () => [step(slowUndo, "a", "a", { name: "a" }), step(slowUndo, "b", "b", { name: "b" })],
      }),
    );
    failing.set("b", new PermanentJobError("b broke"));
    const job = await db().job.create({ data: { kind: "test.slow-undo", zoneId, title: "slow undo" } });
    const workers = [1, 2].map(() => startWorker({ zoneId, pollMs: 50, log: () => {} }));
    try {
      const ended = await waitFor(
        "the job to end",
        async () => {
          const j = await db().job.findUniqueOrThrow({ where: { id: job.id } });
          return j.state === "QUEUED" || j.state === "RUNNING" ? null : j;
        },
        30_000,
      );
      expect([ended.state, ended.attempts, ended.error]).toEqual(["FAILED", 1, "b broke"]);
      expect(log).toEqual(["run a", "run b", "undo b", "undo a"]);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      setConfigForTests({ ...getConfig(), jobLeaseSeconds: 30 });
    }
  }, 40_000);
});

describe("undoPlan", () => {
  it("compensates the started steps in reverse, an unfinished one from its params alone", async () => {
    const job = await newJob();
    failing.set("b", new PermanentJobError("disk full"));
    await expect(runPlan(contextOf(job).ctx, kinds, async () => plan)).rejects.toThrow("disk full");
    log = [];
    await undoPlan(job.id, kinds);
    expect(log).toEqual(["undo b (unfinished)", "undo a a-made"]);
    expect(await states(job.id)).toEqual(["a:COMPENSATED", "b:COMPENSATED", "c:PENDING", "d:PENDING", "e:PENDING"]);
    // undoing again does nothing more
    log = [];
    await undoPlan(job.id, kinds);
    expect(log).toEqual([]);
  });

  it("undoes nothing once the pivot is done", async () => {
    const job = await newJob();
    failing.set("e", new PermanentJobError("cleanup failed"));
    await expect(runPlan(contextOf(job).ctx, kinds, async () => plan)).rejects.toThrow("cleanup failed");
    log = [];
    await undoPlan(job.id, kinds);
    expect(log).toEqual([]);
    expect(await states(job.id)).toEqual(["a:DONE", "b:DONE", "c:DONE", "d:DONE", "e:FAILED"]);
  });

  it("records a compensation that fails and still runs the others", async () => {
    const job = await newJob();
    failing.set("c", new PermanentJobError("stop"));
    const plan2 = [plan[0], plan[1], step(work, "c", "doing c", { name: "c" })];
    await expect(runPlan(contextOf(job).ctx, kinds, async () => plan2)).rejects.toThrow("stop");
    const stubborn = defineStep({
      ...work,
      async compensate(p) {
        log.push(`undo ${p.name}`);
        if (p.name === "b") throw new Error("the backend refused");
      },
    });
    log = [];
    await undoPlan(job.id, new Map([["test.work", stubborn]]));
    expect(log).toEqual(["undo c", "undo b", "undo a"]);
    const rows = await db().jobStep.findMany({ where: { jobId: job.id }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.key, r.state, r.error])).toEqual([
      ["a", "COMPENSATED", ""],
      ["b", "UNDO_FAILED", "the backend refused"],
      ["c", "COMPENSATED", "stop"],
    ]);
  });
});
