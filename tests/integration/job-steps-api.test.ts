import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonymous, createUser, expectProblem, signIn, signInAdmin, type ApiClient, type Json } from "../helpers/api";
import { allowLoopbackUrls, randomPayload, serveBytes, waitFor, withWorker, apiDatastore } from "../support/images";

/**
 * A job's plan through GET /api/v1/jobs/{id}: the steps of a URL import in order, what a
 * failed step and the undo leave on them, who may read them, and what stays internal.
 */
let admin: ApiClient;
let server: Awaited<ReturnType<typeof serveBytes>>;

// a datastore that takes any format: nothing to convert, so no conversion step
const IMPORT_KEYS = ["receive", "verify", "probe", "store", "ready"];
const IMPORT_TITLES = ["transferring", "verifying", "probing", "storing", "ready"];
const STEP_FIELDS = ["key", "kind", "title", "part", "state", "error", "attempt", "weight", "startedAt", "finishedAt"];

const small = randomPayload(64 * 1024);

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  server = await serveBytes({ "/small.raw": small.data, "/missing": { status: 404 } });
});

afterAll(() => server.close());

const datastore = (name: string) => apiDatastore(admin, name);

/** Creates a URL image; returns the id of its job. */
async function importUrl(client: ApiClient, dsId: number, name: string, path: string): Promise<number> {
  const res = await client.post("/api/v1/images", {
    source: "url",
    type: "DATABLOCK",
    name,
    datastoreId: dsId,
    url: server.url(path),
  });
  expect(res.status, res.text).toBe(201);
  const img = (await client.get(`/api/v1/images/${res.json.id}`)).json;
  return img.job.id as number;
}

async function getJob(id: number, client = admin): Promise<Json> {
  const res = await client.get(`/api/v1/jobs/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

const ended = (id: number, client = admin) =>
  waitFor(`job ${id} to end`, async () =>
    ((j) => (["QUEUED", "RUNNING"].includes(j.state) ? null : j))(await getJob(id, client)),
  );

describe("GET /api/v1/jobs/{id} steps", () => {
  it("lists a finished URL import's steps in order, all DONE, without their params or results", async () => {
    const ds = await datastore("steps-done");
    const jobId = await importUrl(admin, ds.id, "steps-done", "/small.raw");
    // the plan is written on the first attempt: a queued job has none yet
    expect((await getJob(jobId)).steps).toEqual([]);

    const job = await withWorker(() => ended(jobId));
    expect(job).toMatchObject({ state: "SUCCEEDED", attempts: 1 });
    expect(job.steps.map((s: Json) => s.key)).toEqual(IMPORT_KEYS);
    expect(job.steps.map((s: Json) => s.title)).toEqual(IMPORT_TITLES);
    for (const s of job.steps) {
      expect(Object.keys(s).sort(), s.key).toEqual([...STEP_FIELDS].sort());
      expect(s, s.key).toMatchObject({ state: "DONE", error: "", part: "", attempt: 1 });
      expect(s.startedAt, s.key).toEqual(expect.any(String));
      expect(s.finishedAt, s.key).toEqual(expect.any(String));
    }
    expect(job.steps[0]).toMatchObject({ kind: "image.receive" });
    // a URL's size is not known when the plan is made (the executor learns it as the step runs)
    // the size of a URL is learnt while it transfers, and kept
    expect(job.steps[0].weight).toBe(small.data.length);
    expect(job.steps.at(-1)).toMatchObject({ kind: "image.ready" });
  });

  it("keeps a 404 URL's reason on its receive step, which the undo marks COMPENSATED; later steps never ran", async () => {
    const ds = await datastore("steps-failed");
    const jobId = await importUrl(admin, ds.id, "steps-failed", "/missing");
    const job = await withWorker(() => ended(jobId));
    expect(job).toMatchObject({ state: "FAILED", attempts: 1 });
    expect(job.error).toContain("HTTP 404");

    const [receive, ...later] = job.steps;
    // the job's clean-up compensated the step it had started, before the job was marked FAILED;
    // the step keeps the reason it failed with
    expect(receive).toMatchObject({ key: "receive", state: "COMPENSATED", attempt: 1 });
    expect(receive.error).toContain("HTTP 404");
    expect(receive.finishedAt).toEqual(expect.any(String));
    expect(later.map((s: Json) => s.key)).toEqual(IMPORT_KEYS.slice(1));
    for (const s of later) expect(s, s.key).toMatchObject({ state: "PENDING", error: "", startedAt: null });
  });

  it("shows users the steps of their own jobs and answers 404 for another user's", async () => {
    const ds = await datastore("steps-shared");
    expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "604" })).status).toBe(204);
    const erin = await createUser(admin, "erin-steps");
    const e = await signIn(erin.username, erin.password);
    const adminsJob = await importUrl(admin, ds.id, "steps-admins", "/small.raw");
    const erinsJob = await importUrl(e, ds.id, "steps-erins", "/small.raw");

    await withWorker(async () => {
      expect((await ended(adminsJob)).state).toBe("SUCCEEDED");
      const mine = await ended(erinsJob, e);
      expect(mine).toMatchObject({ state: "SUCCEEDED", createdBy: { name: erin.username } });
      expect(mine.steps.map((s: Json) => [s.key, s.state])).toEqual(IMPORT_KEYS.map((k) => [k, "DONE"]));
    });
    expectProblem(await e.get(`/api/v1/jobs/${adminsJob}`), 404);
    expect((await getJob(erinsJob)).steps).toHaveLength(IMPORT_KEYS.length); // admins see every job's plan
  });

  it("leaves the steps out of the job list", async () => {
    const res = await admin.get("/api/v1/jobs?perPage=200");
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.length).toBeGreaterThan(0);
    for (const j of res.json.items) expect(j, `job ${j.id}`).not.toHaveProperty("steps");
  });

  it("documents the steps on getJob only, without params or results", async () => {
    const doc = (await anonymous().get("/api/v1/openapi.json")).json;
    const schemaOf = (path: string) => doc.paths[path].get.responses["200"].content["application/json"].schema;
    const step = schemaOf("/api/v1/jobs/{id}").properties.steps.items;
    expect(Object.keys(step.properties).sort()).toEqual([...STEP_FIELDS].sort());
    expect(step.properties.state.enum).toEqual(["PENDING", "RUNNING", "DONE", "FAILED", "COMPENSATED", "UNDO_FAILED"]);
    expect(schemaOf("/api/v1/jobs").properties.items.items.properties).not.toHaveProperty("steps");
  });
});
