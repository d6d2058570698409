import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomPayload, serveBytes, convertToQcow2 } from "../support/images";
import { freshDatabase, type FreshDatabase } from "../support/instances";
import { digests, MiB } from "../support/markets";
import { S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY, startS3, type TestS3 } from "../support/s3";
import {
  freePort,
  isolations,
  signInTo,
  startInstance,
  type HttpAnswer,
  type Instance,
  type InstanceClient,
  type Isolation,
} from "../support/federation";

/**
 * A federation: two portal instances, each a process of its own with its own zone, data
 * directory and port, started at once on one new PostgreSQL database. zone-b cannot read
 * zone-a's folders, as on another host, so what it does with zone-a's apps goes through
 * zone-a's endpoint (BAZAAR_PUBLIC_URL) or the S3 service both reach. Everything is done
 * over HTTP, as an administrator of the federation would. It runs once for each way this
 * machine has of keeping zone-b out (tests/support/federation.ts), which fail differently:
 * zone-a's folder missing, replaced by an empty one of zone-b's at the same path (hosts
 * configured alike), or there but unreadable.
 */
const onPostgres = process.env.BAZAAR_TEST_DB === "postgres";
const found = onPostgres ? isolations() : { available: [], unavailable: [] };
const ADMIN = "admin";
const PASSWORD = "federation-admin-1";
/** a download that takes longer than this on loopback hangs */
const ANSWER_MS = 20_000;

type Json = HttpAnswer["json"];

/** A problem+json refusal with this code and detail. */
function expectRefused(res: HttpAnswer, status: number, code: string, detail: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.json).toMatchObject({ status, code, detail });
}

async function poll<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits for a job to end; returns it. */
const settleJob = (client: InstanceClient, id: number): Promise<Json> =>
  poll(`job ${id} to end`, async () => {
    const res = await client.get(`/api/v1/jobs/${id}`);
    expect(res.status, res.text).toBe(200);
    return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(res.json.state) ? res.json : null;
  });

async function created(res: HttpAnswer): Promise<Json> {
  expect(res.status, res.text).toBe(201);
  return res.json;
}

describe.runIf(onPostgres)("a federation of two zones on one PostgreSQL database", () => {
  for (const reason of found.unavailable) it.skip(`zone-b kept out of zone-a's folders by ${reason}`, () => {});
  for (const isolation of found.available)
    describe(`zone-b kept out by ${isolation.description}`, () => federation(isolation));
});

function federation(isolation: Isolation) {
  let work: string;
  let dirA: string;
  let dirB: string;
  let publicDir: string; // zone-a's http marketplace's folder
  let disk: Buffer;
  let database: FreshDatabase;
  let s3: TestS3;
  let files: Awaited<ReturnType<typeof serveBytes>>;
  let a: Instance;
  let b: Instance;
  let inA: InstanceClient; // the admin, signed in on zone-a
  let inB: InstanceClient; // the admin, signed in on zone-b
  let web: Json; // zone-a's http marketplace
  let bucket: Json; // zone-a's s3 marketplace
  let webApp: Json;
  let s3App: Json;
  const imported: Json[] = []; // zone-b's images of the two apps

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "bazaar-federation-"));
    chmodSync(work, 0o755); // the instances may run as other users
    dirA = path.join(work, "zone-a");
    dirB = path.join(work, "zone-b");
    publicDir = path.join(dirA, "market-web");
    // an 8 MiB disk with 3 MiB of data, as qcow2: a download of it streams in many chunks
    const rawDisk = path.join(work, "disk.raw");
    execFileSync("qemu-img", ["create", "-q", "-f", "raw", rawDisk, "8M"]);
    writeFileSync(rawDisk, randomPayload(3 * MiB).data, { flag: "r+" });
    disk = convertToQcow2(rawDisk, path.join(work, "disk.qcow2"));
    mkdirSync(dirA, { mode: 0o700 });
    mkdirSync(dirB, { mode: 0o700 });
    // there before zone-b starts, so that its host may have one of the same name
    mkdirSync(publicDir, { mode: 0o755 });
    database = await freshDatabase();
    s3 = await startS3();
    files = await serveBytes({ "/disk.qcow2": disk });
    const [portA, portB] = [await freePort(), await freePort()];
    const env = {
      DATABASE_URL: database.url,
      BAZAAR_SECRET_KEY: randomBytes(32).toString("base64"),
      BAZAAR_ADMIN_USERNAME: ADMIN,
      BAZAAR_ADMIN_PASSWORD: PASSWORD,
      BAZAAR_PUBLIC_MARKETPLACES: "0",
    };
    // both at once, on the empty database; zone-a imports the disk from loopback
    a = startInstance({ zone: "zone-a", port: portA, dataDir: dirA, env: { ...env, BAZAAR_URL_ALLOW: "127.0.0.0/8" } });
    b = startInstance({ zone: "zone-b", port: portB, dataDir: dirB, env, keptOut: { isolation, hidden: dirA } });
    const started = await Promise.allSettled([a.ready, b.ready]);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    inA = await signInTo(a, ADMIN, PASSWORD);
    inB = await signInTo(b, ADMIN, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await files?.close();
    await s3?.stop();
    if (s3) rmSync(s3.directory, { recursive: true, force: true });
    await database?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("both start at once on an empty database: one admin, both zones, each at its endpoint", async () => {
    const output = `${a.output()}\n${b.output()}`;
    expect(output.match(/created admin account/g), output).toHaveLength(1);
    expect(output).not.toMatch(/failed to start|unhandled error/);
    const admins = await database.query<{ username: string }>(
      `SELECT u."username" FROM "User" u JOIN "GroupMembership" m ON m."userId" = u."id"
       JOIN "Group" g ON g."id" = m."groupId" WHERE g."name" = 'admins'`,
    );
    expect(admins.map((r) => r.username)).toEqual([ADMIN]);
    expect((await inA.get("/api/v1/session")).json.zone).toMatchObject({ name: "zone-a", local: true });
    expect((await inB.get("/api/v1/session")).json.zone).toMatchObject({ name: "zone-b", local: true });
    for (const [client, local] of [
      [inA, "zone-a"],
      [inB, "zone-b"],
    ] as const) {
      const zones = (await client.get("/api/v1/zones?sort=name")).json.items;
      expect(zones.map((z: Json) => ({ name: z.name, endpoint: z.endpoint, local: z.local }))).toEqual([
        { name: "zone-a", endpoint: a.url, local: local === "zone-a" },
        { name: "zone-b", endpoint: b.url, local: local === "zone-b" },
      ]);
    }
  });

  it("zone-a publishes an image to its http and s3 marketplaces; the http app is at zone-a's endpoint", async () => {
    const ds = await created(await inA.post("/api/v1/datastores", { name: "images-a" }));
    web = await created(
      await inA.post("/api/v1/marketplaces", { name: "web-a", driver: "http", config: { publicDir } }),
    );
    bucket = await created(
      await inA.post("/api/v1/marketplaces", {
        name: "bucket-a",
        driver: "s3",
        config: {
          accessKeyId: S3RVER_ACCESS_KEY_ID,
          region: "us-east-1",
          bucket: "federation",
          endpoint: s3.endpoint,
          forcePathStyle: true,
          partSizeMb: 5,
        },
        secrets: { secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
      }),
    );
    const image = await created(
      await inA.post("/api/v1/images", {
        source: "url",
        type: "OS",
        url: files.url("/disk.qcow2"),
        name: "disk",
        datastoreId: ds.id,
      }),
    );
    const ready = await poll("the image to settle", async () => {
      const img = (await inA.get(`/api/v1/images/${image.id}`)).json;
      return ["READY", "ERROR"].includes(img.state) && img.job?.state !== "RUNNING" ? img : null;
    });
    expect(ready, ready.error).toMatchObject({ state: "READY", ...digests(disk), sizeBytes: disk.length });

    const apps: Json[] = [];
    for (const market of [web, bucket]) {
      const res = await created(
        await inA.post("/api/v1/apps", { marketplaceId: market.id, imageId: image.id, name: `disk-${market.name}` }),
      );
      const app = await poll(`app ${res.id} to settle`, async () => {
        const got = (await inA.get(`/api/v1/apps/${res.id}`)).json;
        return !["INIT", "LOCKED"].includes(got.state) && !["QUEUED", "RUNNING"].includes(got.job?.state) ? got : null;
      });
      expect(app, app.error).toMatchObject({ state: "READY", zone: { name: "zone-a" }, ...digests(disk) });
      apps.push(app);
    }
    [webApp, s3App] = apps;
    const endpoint = a.url.replace(/[.]/g, "\\.");
    expect(webApp.source).toMatch(new RegExp(`^${endpoint}/market/${web.id}/app-${webApp.id}-[0-9a-f]{12}$`));
    // what zone-a's endpoint serves there is the app
    const served = await fetch(webApp.source, { signal: AbortSignal.timeout(ANSWER_MS) });
    expect(served.status).toBe(200);
    expect(digests(Buffer.from(await served.arrayBuffer())).sha256).toBe(webApp.sha256);
  });

  it("zone-b lists zone-a's apps, the http one at zone-a's endpoint, and cannot read zone-a's folder", async () => {
    expect(webApp && s3App, "needs the apps zone-a published").toBeTruthy();
    const listed = (await inB.get("/api/v1/apps?perPage=100&sort=name")).json.items;
    expect(listed.map((x: Json) => [x.name, x.state, x.zone.name])).toEqual([
      ["disk-bucket-a", "READY", "zone-a"],
      ["disk-web-a", "READY", "zone-a"],
    ]);
    const seen = (await inB.get(`/api/v1/apps/${webApp.id}`)).json;
    expect(seen.source).toBe(webApp.source);
    expect(seen.source.startsWith(`${a.url}/`)).toBe(true);
    expect(seen.source).not.toMatch(new RegExp(`localhost|:${b.port}/`));

    // zone-a's file is there, but not for zone-b
    const file = path.join(publicDir, webApp.source.split("/").pop());
    expect(existsSync(file)).toBe(true);
    expect(isolation.canRead(dirA, file)).toBe(false);
    expect(isolation.canRead(dirA, publicDir)).toBe(isolation.kind === "namesake");
  });

  it("zone-b imports both apps into a datastore of its own: READY, with the apps' checksums", async () => {
    expect(webApp && s3App, "needs the apps zone-a published").toBeTruthy();
    const ds = await created(await inB.post("/api/v1/datastores", { name: "images-b" }));
    expect(ds.basePath.startsWith(`${dirB}/`), ds.basePath).toBe(true);
    // both imports first, so that one failing does not hide how the other went
    const results: { app: Json; job: Json; image: Json }[] = [];
    for (const app of [webApp, s3App]) {
      const res = await created(
        await inB.post(`/api/v1/apps/${app.id}/import`, { datastoreId: ds.id, name: app.name }),
      );
      const job = await settleJob(inB, res.jobId);
      const image = (await inB.get(`/api/v1/images/${res.created[0].id}`)).json;
      if (job.state === "SUCCEEDED") imported.push(image);
      results.push({ app, job, image });
    }
    for (const { app, job, image } of results) {
      expect(job.state, `import of ${app.name} in zone-b: ${job.error}`).toBe("SUCCEEDED");
      expect(image).toMatchObject({
        state: "READY",
        fromAppId: app.id,
        datastore: { id: ds.id },
        sizeBytes: app.sizeBytes,
        md5: app.md5,
        sha256: app.sha256,
      });
    }
    // the http app's bytes came from zone-a's endpoint
    const key = webApp.source.split("/").pop();
    expect(a.output()).toMatch(new RegExp(`GET /market/${web.id}/${key} 20[06]`));
  });

  describe("zone-b's download of the http app, read from zone-a's endpoint, answers in time", () => {
    const url = () => `/api/v1/apps/${webApp.id}/download`;

    it("whole", async () => {
      expect(webApp, "needs the http app zone-a published").toBeTruthy();
      const whole = await inB.get(url(), { timeoutMs: ANSWER_MS });
      expect(whole.status, whole.text.slice(0, 500)).toBe(200);
      expect(whole.headers.get("content-length")).toBe(String(disk.length));
      expect(digests(whole.body).sha256).toBe(webApp.sha256);
    });

    it("HEAD", async () => {
      expect(webApp, "needs the http app zone-a published").toBeTruthy();
      const head = await inB.request("HEAD", url(), { timeoutMs: ANSWER_MS });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-length")).toBe(String(disk.length));
      expect(head.headers.get("accept-ranges")).toBe("bytes");
      expect(head.body.length).toBe(0);
    });

    it("a range, and the last bytes", async () => {
      expect(webApp, "needs the http app zone-a published").toBeTruthy();
      const part = await inB.get(url(), { headers: { range: "bytes=65536-131071" }, timeoutMs: ANSWER_MS });
      expect(part.status, part.text.slice(0, 500)).toBe(206);
      expect(part.headers.get("content-range")).toBe(`bytes 65536-131071/${disk.length}`);
      expect(part.body.equals(disk.subarray(65536, 131072))).toBe(true);
      const tail = await inB.get(url(), { headers: { range: `bytes=${disk.length - 10}-` }, timeoutMs: ANSWER_MS });
      expect(tail.status, tail.text.slice(0, 500)).toBe(206);
      expect(tail.body.equals(disk.subarray(disk.length - 10))).toBe(true);
    });
  });

  it("zone-b's download of the s3 app, which both zones reach", async () => {
    expect(s3App, "needs the s3 app zone-a published").toBeTruthy();
    const whole = await inB.get(`/api/v1/apps/${s3App.id}/download`, { timeoutMs: ANSWER_MS });
    expect(whole.status, whole.text.slice(0, 500)).toBe(200);
    expect(digests(whole.body).sha256).toBe(s3App.sha256);
    const part = await inB.get(`/api/v1/apps/${s3App.id}/download`, {
      headers: { range: "bytes=65536-131071" },
      timeoutMs: ANSWER_MS,
    });
    expect(part.status, part.text.slice(0, 500)).toBe(206);
    expect(part.body.equals(disk.subarray(65536, 131072))).toBe(true);
  });

  it("zone-b refuses zone-a's work with the zone rules' messages, and changes nothing", async () => {
    // an image of zone-b to publish: either import will do
    expect(webApp && s3App && imported.length, "needs the apps and an image zone-b imported").toBeTruthy();
    for (const market of [web, bucket]) {
      const publish = await inB.post("/api/v1/apps", {
        marketplaceId: market.id,
        imageId: imported[0].id,
        name: "from-zone-b",
      });
      expectRefused(publish, 409, "WRONG_ZONE", `Marketplace ${market.name} belongs to zone zone-a; publish there`);
      expect(publish.json.invalid_params).toEqual([{ name: "marketplaceId", reason: "is not in this zone" }]);
    }
    for (const app of [webApp, s3App]) {
      expectRefused(
        await inB.delete(`/api/v1/apps/${app.id}`),
        409,
        "WRONG_ZONE",
        `App ${app.name} can only be deleted from its zone, zone-a`,
      );
    }
    expectRefused(
      await inB.post(`/api/v1/marketplaces/${web.id}/monitor`),
      409,
      "WRONG_ZONE",
      `Marketplace ${web.name} is monitored by its own zone, zone-a`,
    );
    expectRefused(
      await inB.delete(`/api/v1/marketplaces/${bucket.id}`),
      409,
      "WRONG_ZONE",
      `Marketplace ${bucket.name} belongs to zone zone-a; delete it there`,
    );

    const left = (await inA.get("/api/v1/apps?perPage=100&sort=name")).json.items;
    expect(left.map((x: Json) => [x.name, x.state])).toEqual([
      ["disk-bucket-a", "READY"],
      ["disk-web-a", "READY"],
    ]);
    expect((await inA.get(`/api/v1/marketplaces/${bucket.id}`)).status).toBe(200);
    expect(readFileSync(path.join(publicDir, webApp.source.split("/").pop())).equals(disk)).toBe(true);
    expect((await inB.get(`/api/v1/images/${imported[0].id}`)).json.state).toBe("READY");
  });
}
