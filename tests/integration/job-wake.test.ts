import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { defineJob } from "@/lib/jobs/define-job";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { registerJobForTests } from "@/lib/jobs/registry";
import { startWorker } from "@/lib/jobs/worker";
import { localZone } from "@/lib/zones/local-zone";
import { spawnScript } from "../support/instances";
import { waitFor } from "../support/images";

/**
 * A queued job wakes the workers: they are started here with a poll of an hour, so a job
 * that runs at all was announced (in this process by a signal; from another process by NOTIFY
 * on PostgreSQL, by the wake file beside the database on SQLite), and one queued in a
 * transaction is claimed only after the commit.
 */
const HOUR = 3_600_000;
const wakeJob = defineJob({ kind: "test.wake", schema: z.object({}), run: async () => {} });
let zoneId: number;
let stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  zoneId = (await localZone()).id;
  registerJobForTests(wakeJob);
});
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
});

const enqueue = (client = db() as Parameters<typeof enqueueJob>[0]) =>
  enqueueJob(client, wakeJob, { zoneId, payload: {}, title: "wake" });

const succeeded = (id: number) =>
  waitFor(
    `job ${id} to succeed`,
    async () => {
      const job = await db().job.findUniqueOrThrow({ where: { id } });
      if (job.state === "FAILED" || job.state === "CANCELLED") throw new Error(`job ${id} ${job.state}: ${job.error}`);
      return job.state === "SUCCEEDED" && job;
    },
    20_000,
  );

async function idleWorker() {
  const worker = startWorker({ zoneId, pollMs: HOUR, log: () => {} });
  stops.push(() => worker.stop());
  // its first look for work is over: from now on only a wake (or an hour) makes it look again
  await worker.ready;
  return worker;
}

describe("waking the worker", () => {
  it("runs a queued job at once, although the worker polls only once an hour", async () => {
    const worker = await idleWorker();
    const job = await enqueue();
    expect((await succeeded(job.id)).leaseOwner).toBe(worker.id);
    // and again: a wake is not used up by the first job
    const next = await enqueue();
    await succeeded(next.id);
  });

  it("claims a job queued in a transaction only after the transaction commits", async () => {
    await idleWorker();
    const { id, stateInTx } = await db().$transaction(async (tx) => {
      const job = await enqueue(tx);
      // time for a woken worker to claim the job, were it to look inside this transaction
      await new Promise((r) => setTimeout(r, 300));
      return { id: job.id, stateInTx: (await tx.job.findUniqueOrThrow({ where: { id: job.id } })).state };
    });
    expect(stateInTx).toBe("QUEUED");
    await succeeded(id);
  });

  it("wakes a worker of another process (PostgreSQL: NOTIFY after the commit; SQLite: the wake file)", async () => {
    const c = getConfig();
    const child = spawnScript(path.join("tests", "integration", "job-wake-worker.ts"), {
      DATABASE_URL: c.databaseUrl,
      BAZAAR_DATA_DIR: c.dataDir,
      BAZAAR_ZONE: c.zoneName,
      WAKE_TEST_ZONE_ID: String(zoneId),
    });
    // stderr only to the test's output; stdout says when the worker listens
    child.stderr!.pipe(process.stderr);
    const lines = createInterface({ input: child.stdout! });
    stops.push(async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    });
    await new Promise<void>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the worker process exited (${code})`)));
      lines.on("line", (l) => l === "ready" && resolve());
    });
    const id = await db().$transaction(async (tx) => (await enqueue(tx)).id);
    const job = await succeeded(id);
    expect(job.leaseOwner).toContain(`:${child.pid}:`);
  }, 60_000);
});
