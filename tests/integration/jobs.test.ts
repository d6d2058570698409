import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getConfig, setConfigForTests, type Config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { claimTurn } from "@/lib/jobs/claim-turn";
import { pruneFinishedJobs } from "@/lib/jobs/prune-finished-jobs";
import { runSchedules } from "@/lib/jobs/schedules";
import { localZone } from "@/lib/zones/local-zone";
import { ApiClient, createUser, expectProblem, signIn, signInAdmin, type Json } from "../helpers/api";
import { allowLoopbackUrls, randomPayload, serveBytes, waitFor, withWorker, apiDatastore } from "../support/images";
import { childProcessNames, threadCount } from "../support/processes";

/**
 * The job system driven through the API with real URL imports and an in-process worker:
 * cancel (queued and running), who sees which jobs, filters, persisted progress, retries.
 * Each test starts its own worker, so a job created while none runs stays QUEUED.
 */
let admin: ApiClient;
let server: Awaited<ReturnType<typeof serveBytes>>;
let zoneId: number;

const small = randomPayload(64 * 1024);
const slow = randomPayload(2 * 1024 * 1024);
// random bytes do not compress: the .xz is as large as its content, and xz runs throughout
const slowXz = execFileSync("xz", ["-0", "-c"], {
  input: randomPayload(4 * 1024 * 1024).data,
  maxBuffer: 64 * 1024 * 1024,
});

beforeAll(async () => {
  allowLoopbackUrls();
  // a one-second lease makes the heartbeat (and so the cancel check) run every 250 ms
  setConfigForTests({ ...getConfig(), jobLeaseSeconds: 1 });
  zoneId = (await localZone()).id;
  admin = await signInAdmin();
  server = await serveBytes({
    "/small.raw": small.data,
    "/slow.raw": { body: slow.data, bytesPerSecond: 1024 * 1024 },
    "/slow.raw.xz": { body: slowXz, bytesPerSecond: 512 * 1024 },
    "/flaky.raw": { body: small.data, failFirst: 1 },
    "/missing": { status: 404 },
  });
});

afterAll(() => server.close());

const datastore = (name: string) => apiDatastore(admin, name);

/** Creates a URL image; returns it with the id of its job. */
async function importUrl(client: ApiClient, dsId: number, name: string, path: string) {
  const res = await client.post("/api/v1/images", {
    source: "url",
    type: "DATABLOCK",
    name,
    datastoreId: dsId,
    url: server.url(path),
  });
  expect(res.status, res.text).toBe(201);
  const img = (await client.get(`/api/v1/images/${res.json.id}`)).json;
  expect(img.job).toMatchObject({ kind: "image.import-url" });
  return { image: img as Json, jobId: img.job.id as number };
}

const getJob = async (id: number, client = admin) => (await client.get(`/api/v1/jobs/${id}`)).json as Json;
const getImage = async (id: number) => (await admin.get(`/api/v1/images/${id}`)).json as Json;
const ended = (id: number) =>
  waitFor(`job ${id} to end`, async () =>
    ((j) => (["QUEUED", "RUNNING"].includes(j.state) ? null : j))(await getJob(id)),
  );
const ids = (res: { json: Json }) => res.json.items.map((j: Json) => j.id).sort((a: number, b: number) => a - b);

describe("cancel", () => {
  it("cancels a queued job at once, with no worker running, and fails its image with the reason", async () => {
    const ds = await datastore("cancel-queued");
    const { image, jobId } = await importUrl(admin, ds.id, "queued", "/small.raw");
    const res = await admin.post(`/api/v1/jobs/${jobId}/cancel`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      id: jobId,
      state: "CANCELLED",
      cancelRequested: true,
      error: "cancelled by a user",
      attempts: 0,
    });
    expect(res.json.finishedAt).not.toBeNull();
    expect(await getImage(image.id)).toMatchObject({ state: "ERROR", error: "cancelled by a user" });
    expect(readdirSync(ds.basePath)).toEqual([]);

    // a worker started later leaves it alone
    await withWorker(async () => {
      const { jobId: other } = await importUrl(admin, ds.id, "after", "/small.raw");
      expect((await ended(other)).state).toBe("SUCCEEDED");
    });
    expect(await getJob(jobId)).toMatchObject({ state: "CANCELLED", attempts: 0 });
  });

  it("stops a running job within a few heartbeats; no file, child process or md5 thread is left", async () => {
    const ds = await datastore("cancel-running");
    const threadsBefore = threadCount();
    await withWorker(async () => {
      const { image, jobId } = await importUrl(admin, ds.id, "running", "/slow.raw.xz");
      await waitFor("bytes to move", async () =>
        ((j) => j.state === "RUNNING" && j.bytesDone > 0)(await getJob(jobId)),
      );
      expect(childProcessNames()).toContain("xz");
      expect(threadCount()).toBeGreaterThan(threadsBefore); // the measure sees the md5 threads
      expect(readdirSync(ds.basePath)).toEqual([expect.stringMatching(new RegExp(`^img-${image.id}\\..+\\.part$`))]);

      const res = await admin.post(`/api/v1/jobs/${jobId}/cancel`);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ cancelRequested: true });
      expect(await ended(jobId)).toMatchObject({ state: "CANCELLED", error: "cancelled by a user", rateBps: 0 });
      expect(await getImage(image.id)).toMatchObject({ state: "ERROR", error: "cancelled by a user", sha256: "" });
    });
    expect(readdirSync(ds.basePath)).toEqual([]);
    await waitFor("xz to exit", async () => !childProcessNames().includes("xz"));
    // the two md5 threads (compressed and decompressed bytes) end with the transfer
    await waitFor("the md5 threads to end", async () => threadCount() <= threadsBefore);
  });

  it("answers 409 for a job that has ended", async () => {
    const ds = await datastore("cancel-ended");
    await withWorker(async () => {
      const { jobId } = await importUrl(admin, ds.id, "done", "/small.raw");
      expect((await ended(jobId)).state).toBe("SUCCEEDED");
      const res = await admin.post(`/api/v1/jobs/${jobId}/cancel`);
      expectProblem(res, 409);
      expect(res.json.detail).toContain("SUCCEEDED");
    });
  });
});

describe("who sees which jobs", () => {
  it("shows users their own jobs only; admins see all; another user's job is 404", async () => {
    const ds = await datastore("shared-jobs");
    expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "604" })).status).toBe(204);
    const dave = await createUser(admin, "dave");
    const d = await signIn("dave", dave.password);
    const mine = await importUrl(admin, ds.id, "admins-job", "/small.raw");
    const his = await importUrl(d, ds.id, "daves-job", "/small.raw");

    expect(ids(await d.get("/api/v1/jobs"))).toEqual([his.jobId]);
    expect(ids(await admin.get("/api/v1/jobs?perPage=200"))).toEqual(expect.arrayContaining([mine.jobId, his.jobId]));
    expect(await getJob(his.jobId, d)).toMatchObject({ id: his.jobId, createdBy: { name: "dave" }, state: "QUEUED" });
    expect(await getJob(his.jobId)).toMatchObject({ id: his.jobId, createdBy: { name: "dave" } });
    expectProblem(await d.get(`/api/v1/jobs/${mine.jobId}`), 404);
    expectProblem(await d.post(`/api/v1/jobs/${mine.jobId}/cancel`), 404);
    expect((await getJob(mine.jobId)).cancelRequested).toBe(false);

    // an admin may cancel anyone's job
    expect((await admin.post(`/api/v1/jobs/${his.jobId}/cancel`)).json.state).toBe("CANCELLED");
    expect((await admin.post(`/api/v1/jobs/${mine.jobId}/cancel`)).json.state).toBe("CANCELLED");
  });

  it("filters by active, state (repeatable), objectType and objectId", async () => {
    const ds = await datastore("filters");
    const ok = await importUrl(admin, ds.id, "f-ok", "/small.raw");
    const failed = await importUrl(admin, ds.id, "f-failed", "/missing");
    await withWorker(async () => {
      expect((await ended(ok.jobId)).state).toBe("SUCCEEDED");
      expect((await ended(failed.jobId)).state).toBe("FAILED");
    });
    const cancelled = await importUrl(admin, ds.id, "f-cancelled", "/small.raw");
    await admin.post(`/api/v1/jobs/${cancelled.jobId}/cancel`);
    const queued = await importUrl(admin, ds.id, "f-queued", "/small.raw");
    const ours = new Set([ok.jobId, failed.jobId, cancelled.jobId, queued.jobId]);
    const list = async (query: string) => {
      const res = await admin.get(`/api/v1/jobs?perPage=200&${query}`);
      expect(res.status, res.text).toBe(200);
      return ids(res).filter((id: number) => ours.has(id));
    };

    expect(await list("active=true")).toEqual([queued.jobId]);
    expect(await list("active=false")).toEqual([ok.jobId, failed.jobId, cancelled.jobId]);
    expect(await list("state=FAILED")).toEqual([failed.jobId]);
    expect(await list("state=FAILED&state=CANCELLED")).toEqual([failed.jobId, cancelled.jobId]);
    expect(await list(`objectType=IMAGE&objectId=${ok.image.id}`)).toEqual([ok.jobId]);
    expect(await list("objectType=DATASTORE")).toEqual([]);
    expectProblem(await admin.get("/api/v1/jobs?state=DONE"), 400, ["state"]);
    expectProblem(await admin.get("/api/v1/jobs?active=maybe"), 400, ["active"]);

    await admin.post(`/api/v1/jobs/${queued.jobId}/cancel`); // leave no work for later tests
  });
});

describe("progress and retries", () => {
  it("persists the progress of a running transfer", async () => {
    const ds = await datastore("progress");
    await withWorker(async () => {
      const { image, jobId } = await importUrl(admin, ds.id, "progress", "/slow.raw");
      const total = slow.data.length;
      const first = await waitFor("progress mid-transfer", async () =>
        ((j) => (j.state === "RUNNING" && j.bytesDone > 0 && j.bytesDone < total ? j : null))(await getJob(jobId)),
      );
      expect(first.bytesTotal).toBe(total); // the Content-Length
      expect(first.rateBps).toBeGreaterThan(0);
      expect(first.phase).toBe("transferring");
      await waitFor("more bytes", async () => (await getJob(jobId)).bytesDone > first.bytesDone);

      const done = await ended(jobId);
      expect(done).toMatchObject({ state: "SUCCEEDED", bytesDone: total, bytesTotal: total, attempts: 1, error: "" });
      expect(await getImage(image.id)).toMatchObject({ state: "READY", sha256: slow.sha256, sizeBytes: total });
    });
  });

  it("retries a transient failure (HTTP 500) and succeeds on the second attempt", async () => {
    const ds = await datastore("flaky");
    await withWorker(async () => {
      const { image, jobId } = await importUrl(admin, ds.id, "flaky", "/flaky.raw");
      const done = await ended(jobId);
      expect(done).toMatchObject({ state: "SUCCEEDED", attempts: 2, error: "" });
      expect(server.hits("/flaky.raw")).toBe(2);
      expect(await getImage(image.id)).toMatchObject({ state: "READY", sha256: small.sha256 });
    });
  });

  it("does not retry a 404: one attempt, FAILED with the reason", async () => {
    const ds = await datastore("not-found");
    await withWorker(async () => {
      const before = server.hits("/missing");
      const { image, jobId } = await importUrl(admin, ds.id, "missing", "/missing");
      const done = await ended(jobId);
      expect(done).toMatchObject({ state: "FAILED", attempts: 1 });
      expect(done.error).toContain("HTTP 404");
      expect(server.hits("/missing") - before).toBe(1);
      expect(await getImage(image.id)).toMatchObject({ state: "ERROR", error: done.error });
    });
    expect(readdirSync(ds.basePath)).toEqual([]);
  });
});

describe("a worker that stopped", () => {
  /** What a worker killed during attempt `attempts` leaves behind once its lease has run out. */
  const diedDuring = (jobId: number, attempts: number) =>
    db().job.update({
      where: { id: jobId },
      data: {
        state: "RUNNING",
        attempts,
        leaseOwner: "a-worker-that-was-killed",
        leaseUntil: new Date(Date.now() - 5_000),
        heartbeatAt: new Date(Date.now() - 6_000),
        startedAt: new Date(Date.now() - 60_000),
      },
    });

  it("fails a job it was running on its last attempt, with the reason, instead of a further attempt", async () => {
    const ds = await datastore("died-last");
    const { image, jobId } = await importUrl(admin, ds.id, "died-last", "/small.raw");
    await diedDuring(jobId, 3);
    const before = server.hits("/small.raw");
    await withWorker(async () => {
      const done = await ended(jobId);
      expect(done).toMatchObject({
        state: "FAILED",
        attempts: 3,
        maxAttempts: 3,
        error: "the worker running it stopped during attempt 3 of 3; giving up",
      });
      expect(done.finishedAt).not.toBeNull();
      // the job's clean-up ran: the image is not left LOCKED
      expect(await getImage(image.id)).toMatchObject({ state: "ERROR", error: done.error });
    });
    expect(server.hits("/small.raw")).toBe(before);
    expect(readdirSync(ds.basePath)).toEqual([]);
  });

  it("retries a job it was running before its last attempt", async () => {
    const ds = await datastore("died-earlier");
    const { image, jobId } = await importUrl(admin, ds.id, "died-earlier", "/small.raw");
    await diedDuring(jobId, 2);
    await withWorker(async () => {
      expect(await ended(jobId)).toMatchObject({ state: "SUCCEEDED", attempts: 3, maxAttempts: 3, error: "" });
      expect(await getImage(image.id)).toMatchObject({ state: "READY", sha256: small.sha256 });
    });
  });
});

describe("retention of ended jobs", () => {
  const DAY = 24 * 3_600_000;
  const ago = (ms: number) => new Date(Date.now() - ms);
  let config: Config;

  beforeEach(() => {
    config = getConfig();
    setConfigForTests({ ...config, jobRetentionDays: 7, jobFailedRetentionDays: 30 });
  });
  afterEach(() => setConfigForTests(config));

  /** A job row as the worker leaves it; active ones wait far in the future so no worker takes them. */
  const seedJob = (state: string, endedDaysAgo: number | null, zone = zoneId) =>
    db().job.create({
      data: {
        kind: "image.import-url",
        zoneId: zone,
        title: `retention: ${state}`,
        payload: JSON.stringify({ imageId: 999_999 }),
        state,
        createdAt: ago(200 * DAY),
        runAfter: new Date(Date.now() + 365 * DAY),
        finishedAt: endedDaysAgo === null ? null : ago(endedDaysAgo * DAY),
      },
    });

  it("deletes SUCCEEDED and CANCELLED jobs after their retention and FAILED ones after the longer one; never active ones or another zone's", async () => {
    const elsewhere = await db().zone.create({ data: { name: "elsewhere" } });
    const gone = [await seedJob("SUCCEEDED", 8), await seedJob("CANCELLED", 8), await seedJob("FAILED", 31)];
    const kept = [
      await seedJob("SUCCEEDED", 6),
      await seedJob("CANCELLED", 6),
      await seedJob("FAILED", 8),
      await seedJob("FAILED", 29),
      await seedJob("QUEUED", null),
      await seedJob("RUNNING", null),
      await seedJob("SUCCEEDED", 100, elsewhere.id),
    ];
    try {
      expect(await pruneFinishedJobs(zoneId)).toBe(gone.length);
      const left = await db().job.findMany({
        where: { id: { in: [...gone, ...kept].map((j) => j.id) } },
        select: { id: true },
        orderBy: { id: "asc" },
      });
      expect(left.map((j) => j.id)).toEqual(kept.map((j) => j.id));
      expect(await pruneFinishedJobs(zoneId)).toBe(0);
    } finally {
      await db().job.deleteMany({ where: { id: { in: kept.map((j) => j.id) } } });
      await db().zone.delete({ where: { id: elsewhere.id } });
    }
  });

  it("deletes in bounded batches and goes on at the next turn", async () => {
    for (let i = 0; i < 5; i++) await seedJob("SUCCEEDED", 10);
    const opts = { batchSize: 2, maxBatches: 2 };
    expect(await pruneFinishedJobs(zoneId, opts)).toBe(4);
    expect(await pruneFinishedJobs(zoneId, opts)).toBe(1);
    expect(await pruneFinishedJobs(zoneId, opts)).toBe(0);
  });

  it("runs from the workers' periodic schedule, whose turn one worker wins", async () => {
    const ask = (now?: Date) =>
      Promise.all(Array.from({ length: 6 }, () => claimTurn(zoneId, "test.turn", 60_000, now)));
    expect((await ask()).filter(Boolean)).toHaveLength(1);
    expect((await ask()).filter(Boolean)).toHaveLength(0);
    expect((await ask(new Date(Date.now() + 61_000))).filter(Boolean)).toHaveLength(1);

    const old = await seedJob("SUCCEEDED", 30);
    await db().periodicTask.upsert({
      where: { zoneId_name: { zoneId, name: "jobs.prune" } },
      create: { zoneId, name: "jobs.prune", dueAt: ago(1000) },
      update: { dueAt: ago(1000) },
    });
    await runSchedules(zoneId);
    expect(await db().job.findUnique({ where: { id: old.id } })).toBeNull();
    const task = await db().periodicTask.findUniqueOrThrow({ where: { zoneId_name: { zoneId, name: "jobs.prune" } } });
    expect(task.dueAt.getTime()).toBeGreaterThan(Date.now());
  });
});
