import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { startWorker } from "@/lib/jobs/worker";
import { localZone } from "@/lib/zones/local-zone";
import {
  ApiClient,
  BASE_URL,
  createGroup,
  createUser,
  expectProblem,
  signIn,
  signInAdmin,
  type Json,
  type UserFixture,
} from "../helpers/api";
import { expectNoSecretsLeaked } from "../helpers/secrets";
import { allowLoopbackUrls, randomPayload, serveBytes, waitFor, convertToQcow2 } from "../support/images";
import {
  digests,
  fetchMarketFile,
  MiB,
  publishReady,
  rawRequest,
  readS3Object,
  s3Client,
  s3Keys,
  settleApp,
  urlImage,
} from "../support/markets";
import { S3RVER_SECRET_ACCESS_KEY, startS3, type TestS3 } from "../support/s3";

/**
 * Apps through the API with a real worker: publish into an http and an s3 marketplace, the
 * bytes as served and as stored, import into a datastore of another format, download, the
 * failures that must leave nothing behind, permissions, states, locks and the catalog.
 */
const BUCKET = "apps";
let admin: ApiClient;
let adminId: number;
let worker: ReturnType<typeof startWorker>;
let server: Awaited<ReturnType<typeof serveBytes>>;
let s3: TestS3;
let pat: UserFixture; // may publish
let p: ApiClient;
let dave: UserFixture; // default rights: may import, may not publish
let d: ApiClient;
let imagesDs: Json; // any format
let rawDs: Json; // requires raw
let web: Json; // http marketplace
let bucket: Json; // s3 marketplace
let disk: Json; // admin's qcow2 image
let patsDisk: Json;
let webApp: Json; // disk published to web
let s3App: Json; // disk published to bucket
const work = mkdtempSync(path.join(tmpdir(), "bazaar-apps-"));
const publicDir = path.join(work, "web");
const qcow2Path = path.join(work, "disk.qcow2");

// an 8 MiB disk with 1 MiB of data, as qcow2
execFileSync("qemu-img", ["create", "-q", "-f", "raw", path.join(work, "disk.raw"), "8M"]);
writeFileSync(path.join(work, "disk.raw"), randomPayload(MiB).data, { flag: "r+" });
convertToQcow2(path.join(work, "disk.raw"), qcow2Path);
const qcow2 = readFileSync(qcow2Path);
// large enough for several 5 MB parts
const big = randomPayload(48 * MiB);

const startTheWorker = async () =>
  (worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, log: () => {} }));

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  adminId = (await admin.get("/api/v1/session")).json.user.id;
  s3 = await startS3();
  server = await serveBytes({ "/disk.qcow2": qcow2, "/big.raw": big.data });
  await startTheWorker();
  const publishers = await createGroup(admin, "publishers", { createRights: ["IMAGE", "MARKETPLACE_APP"] });
  pat = await createUser(admin, "pat", { primaryGroupId: publishers, groupIds: [publishers] });
  p = await signIn("pat", pat.password);
  dave = await createUser(admin, "dave");
  d = await signIn("dave", dave.password);

  const ds = async (body: Record<string, unknown>) => {
    const res = await admin.post("/api/v1/datastores", body);
    expect(res.status, res.text).toBe(201);
    expect((await admin.post(`/api/v1/datastores/${res.json.id}/chmod`, { permissions: "644" })).status).toBe(204);
    return res.json;
  };
  imagesDs = await ds({ name: "images" });
  rawDs = await ds({ name: "raw", requiredFormat: "raw" });
  const market = async (body: Record<string, unknown>) => {
    const res = await admin.post("/api/v1/marketplaces", body);
    expect(res.status, res.text).toBe(201);
    // the periodic monitor is not what these tests are about
    await db().marketplace.update({
      where: { id: res.json.id },
      data: { monitorDueAt: new Date(Date.now() + 3600_000) },
    });
    return res.json;
  };
  web = await market({ name: "web", driver: "http", config: { publicDir } });
  bucket = await market({
    name: "bucket",
    driver: "s3",
    config: {
      accessKeyId: "S3RVER",
      region: "us-east-1",
      bucket: BUCKET,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      partSizeMb: 5,
    },
    secrets: { secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
  });
  disk = await urlImage(admin, { url: server.url("/disk.qcow2"), name: "disk", datastoreId: imagesDs.id });
  expect(disk).toMatchObject({ format: "qcow2", ...digests(qcow2), sizeBytes: qcow2.length });
  patsDisk = await urlImage(p, { url: server.url("/disk.qcow2"), name: "pats-disk", datastoreId: imagesDs.id });
});

afterAll(async () => {
  await worker.stop();
  await server.close();
  await s3.stop();
  rmSync(s3.directory, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const imageRow = (id: number) => db().image.findUniqueOrThrow({ where: { id } });

/** Bytes of a response, and its digests. */
async function bodyOf(res: Response) {
  const bytes = Buffer.from(await res.arrayBuffer());
  return { bytes, ...digests(bytes) };
}

async function settleImage(client: ApiClient, id: number) {
  return waitFor(`image ${id} to settle`, async () => {
    const res = await client.get(`/api/v1/images/${id}`);
    return ["READY", "ERROR"].includes(res.json.state) && res.json.job?.state !== "RUNNING" ? (res.json as Json) : null;
  });
}

async function settleJob(client: ApiClient, id: number) {
  return waitFor(`job ${id} to end`, async () => {
    const res = await client.get(`/api/v1/jobs/${id}`);
    expect(res.status, res.text).toBe(200);
    return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(res.json.state) ? (res.json as Json) : null;
  });
}

describe("publish", () => {
  it("http: the app is LOCKED and the image USED until the job has copied and verified the bytes", async () => {
    await worker.stop(); // so the states in between can be seen
    const res = await admin.post("/api/v1/apps", {
      marketplaceId: web.id,
      imageId: disk.id,
      name: "disk-web",
      version: "2.1",
      description: "A small disk",
      tags: ["Linux", "base", "linux"],
      hypervisor: "kvm",
      architecture: "x86_64",
      vmTemplate: "CPU=1\nMEMORY=512",
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      name: "disk-web",
      type: "IMAGE",
      state: "LOCKED",
      version: "2.1",
      tags: ["linux", "base"],
      publisher: (await admin.get("/api/v1/session")).json.user.displayName || "admin",
      source: "",
      md5: "",
      originImageId: disk.id,
      imageTemplate: { type: "OS" },
      vmTemplate: "CPU=1\nMEMORY=512",
      marketplace: { id: web.id, name: "web", driver: "http", enabled: true },
      zone: { id: (await localZone()).id },
      lockLevel: null,
      job: { state: "QUEUED" },
      owner: { id: adminId },
      permissions: { octal: "644" },
    });
    expect((await admin.get(`/api/v1/images/${disk.id}`)).json.state).toBe("USED");
    expect((await imageRow(disk.id)).readers).toBe(1);
    expectProblem(await admin.delete(`/api/v1/images/${disk.id}`), 409);
    expectProblem(await admin.get(`/api/v1/apps/${res.json.id}/download`), 409);
    expectProblem(
      await admin.post(`/api/v1/apps/${res.json.id}/import`, { datastoreId: rawDs.id, name: "early" }),
      409,
    );

    await startTheWorker();
    webApp = await settleApp(admin, res.json.id);
    expect(webApp).toMatchObject({
      state: "READY",
      error: "",
      format: "qcow2",
      sizeBytes: qcow2.length,
      virtualSizeBytes: 8 * MiB,
      ...digests(qcow2),
      job: { state: "SUCCEEDED" },
    });
    expect(webApp.md5).toBe(disk.md5);
    expect(webApp.sha256).toBe(disk.sha256);
    expect(webApp.source).toMatch(new RegExp(`^https?://[^/]+/market/${web.id}/app-${webApp.id}-[0-9a-f]{12}$`));
    expect((await admin.get(`/api/v1/images/${disk.id}`)).json.state).toBe("READY");
    expect((await imageRow(disk.id)).readers).toBe(0);
    // the file in the public directory is the image, and nothing else is there
    const key = webApp.source.split("/").pop();
    expect(readdirSync(publicDir)).toEqual([key]);
    expect(digests(readFileSync(path.join(publicDir, key)))).toEqual(digests(qcow2));
    expect((await admin.get(`/api/v1/marketplaces/${web.id}`)).json.appCount).toBe(1);
  });

  it("the portal serves the app at its public URL: GET, HEAD, Range, ETag and Last-Modified", async () => {
    const whole = await fetchMarketFile(webApp.source);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe(String(qcow2.length));
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    const etag = whole.headers.get("etag")!;
    const lastModified = whole.headers.get("last-modified")!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(Date.parse(lastModified)).not.toBeNaN();
    const got = await bodyOf(whole);
    expect({ md5: got.md5, sha256: got.sha256 }).toEqual({ md5: webApp.md5, sha256: webApp.sha256 });

    const head = await fetchMarketFile(webApp.source, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(qcow2.length));
    expect(head.headers.get("etag")).toBe(etag);
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    const part = await fetchMarketFile(webApp.source, { headers: { range: "bytes=1000-1999" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 1000-1999/${qcow2.length}`);
    expect((await bodyOf(part)).bytes.equals(qcow2.subarray(1000, 2000))).toBe(true);
    const tail = await fetchMarketFile(webApp.source, { headers: { range: "bytes=-100" } });
    expect(tail.status).toBe(206);
    expect((await bodyOf(tail)).bytes.equals(qcow2.subarray(qcow2.length - 100))).toBe(true);

    const cached = await fetchMarketFile(webApp.source, { headers: { "if-none-match": etag } });
    expect(cached.status).toBe(304);
    expect(cached.body).toBeNull();
    const unmodified = await fetchMarketFile(webApp.source, { headers: { "if-modified-since": lastModified } });
    expect(unmodified.status).toBe(304);
    // a Range with a stale If-Range gets the whole (new) file
    const stale = await fetchMarketFile(webApp.source, { headers: { range: "bytes=0-9", "if-range": '"stale"' } });
    expect(stale.status).toBe(200);
    expect((await bodyOf(stale)).bytes.length).toBe(qcow2.length);
    const beyond = await fetchMarketFile(webApp.source, { headers: { range: `bytes=${qcow2.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${qcow2.length}`);

    const base = webApp.source.slice(0, webApp.source.lastIndexOf("/"));
    for (const other of [`${base}/app-0-000000000000`, `${base}/.${webApp.source.split("/").pop()}.part`]) {
      const res = await fetchMarketFile(other);
      expect(res.status).toBe(404);
      await res.arrayBuffer();
    }
    // files put in the directory by other means are not apps, however their names look
    for (const stray of ["notes.txt", "app-999-aaaaaaaaaaaa"]) {
      writeFileSync(path.join(publicDir, stray), "not an app");
      try {
        const res = await fetchMarketFile(`${base}/${stray}`);
        expect(res.status).toBe(404);
        await res.arrayBuffer();
      } finally {
        rmSync(path.join(publicDir, stray));
      }
    }
    // an s3 marketplace's id is no http folder
    const notHttp = await fetchMarketFile(webApp.source.replace(`/market/${web.id}/`, `/market/${bucket.id}/`));
    expect(notHttp.status).toBe(404);
    await notHttp.arrayBuffer();
  });

  it("s3: the object read with the SDK has the app's size, md5 and sha256", async () => {
    s3App = await publishReady(admin, {
      marketplaceId: bucket.id,
      imageId: disk.id,
      name: "disk-s3",
      tags: ["linux"],
      hypervisor: "kvm",
      architecture: "aarch64",
    });
    expect(s3App).toMatchObject({ format: "qcow2", sizeBytes: qcow2.length, ...digests(qcow2) });
    expect(s3App.source).toMatch(new RegExp(`^s3://${BUCKET}/marketapp-app-${s3App.id}-[0-9a-f]{12}$`));
    const client = s3Client(s3.endpoint);
    const key = s3App.source.replace(`s3://${BUCKET}/`, "");
    expect(await s3Keys(client, BUCKET)).toEqual([key]);
    const stored = await readS3Object(client, BUCKET, key);
    expect(stored.length).toBe(s3App.sizeBytes);
    expect(digests(stored)).toEqual({ md5: s3App.md5, sha256: s3App.sha256 });
    expect(await s3.uploadsOnDisk(BUCKET)).toEqual([]);
    expect((await admin.get(`/api/v1/images/${disk.id}`)).json.state).toBe("READY");
  });
});

describe("publish, concurrently and again", () => {
  let twins: Json[]; // two more http marketplaces

  beforeAll(async () => {
    twins = [];
    for (const name of ["twin-a", "twin-b"]) {
      const res = await admin.post("/api/v1/marketplaces", {
        name,
        driver: "http",
        config: { publicDir: path.join(work, name) },
      });
      expect(res.status, res.text).toBe(201);
      twins.push(res.json);
    }
  });

  it("two publishes of one image that run at once both release it: READY, no readers", async () => {
    await worker.stop(); // so the worker takes both jobs in one go
    const ids: number[] = [];
    for (const twin of twins) {
      const res = await admin.post("/api/v1/apps", { marketplaceId: twin.id, imageId: disk.id, name: "twin" });
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id);
    }
    expect((await imageRow(disk.id)).readers).toBe(2);
    await startTheWorker();
    if (getConfig().databaseProvider === "postgresql") {
      // hold the image's row until both jobs have stored their bytes and wait on it to release
      // the image, so that both releases meet there (SQLite runs one transaction at a time:
      // there they cannot meet)
      await db().$transaction(
        async (tx) => {
          await tx.image.update({ where: { id: disk.id }, data: { readers: { increment: 0 } } });
          // pg_locks, not pg_stat_activity (which a transaction sees as of its first look): the
          // first release waits for this transaction, the second for the first at the row
          await waitFor(
            "both releases to wait at the image's row",
            async () => {
              const [{ waiting }] = await tx.$queryRaw<{ waiting: number }[]>`
                SELECT count(DISTINCT pid)::int AS waiting FROM pg_locks
                WHERE NOT granted AND (
                  (locktype = 'transactionid' AND transactionid = pg_current_xact_id()::xid)
                  OR (locktype = 'tuple' AND relation = '"Image"'::regclass))`;
              return waiting === 2;
            },
            15_000,
          );
        },
        { timeout: 20_000 },
      );
    }
    for (const id of ids) expect((await settleApp(admin, id)).state).toBe("READY");
    expect(await imageRow(disk.id)).toMatchObject({ state: "READY", readers: 0 });
  });

  it("a publish removes the temporary file a dead attempt left under its key", async () => {
    const [twin] = twins;
    const dir = path.join(work, twin.name);
    await worker.stop();
    const res = await admin.post("/api/v1/apps", { marketplaceId: twin.id, imageId: disk.id, name: "retried" });
    expect(res.status, res.text).toBe(201);
    const { storageKey } = await db().marketplaceApp.findUniqueOrThrow({ where: { id: res.json.id } });
    writeFileSync(path.join(dir, `.${storageKey}.part`), "half of an earlier attempt");
    await startTheWorker();
    const app = await settleApp(admin, res.json.id);
    expect(app.state, app.error).toBe("READY");
    expect(app.job).toMatchObject({ state: "SUCCEEDED" });
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([]);
    expect(digests(readFileSync(path.join(dir, storageKey)))).toEqual(digests(qcow2));
  });
});

describe("import", () => {
  // apps of their own, one in each marketplace; the http one carries a VM template
  let importWeb: Json;
  let importS3: Json;

  beforeAll(async () => {
    importWeb = await publishReady(admin, {
      marketplaceId: web.id,
      imageId: disk.id,
      name: "to-import-web",
      vmTemplate: "CPU=1\nMEMORY=512",
    });
    importS3 = await publishReady(admin, { marketplaceId: bucket.id, imageId: disk.id, name: "to-import-s3" });
  });

  afterAll(async () => {
    // the marketplaces are shared with the other blocks, which count what they hold
    for (const app of [importWeb, importS3]) {
      if (app) expect((await admin.delete(`/api/v1/apps/${app.id}`)).status).toBe(204);
    }
  });

  it("brings an app into a raw datastore, from either marketplace, with the same content", async () => {
    for (const [client, app, name] of [
      [admin, importWeb, "from-web"],
      [d, importS3, "from-s3"], // another user: apps are shared with everyone by default
    ] as const) {
      const res = await client.post(`/api/v1/apps/${app.id}/import`, { datastoreId: rawDs.id, name });
      expect(res.status, res.text).toBe(201);
      // an app that carries a VM template brings it too, with the new image as its disk
      expect(res.json).toMatchObject({
        images: [{ name, app: { id: app.id } }],
        vmTemplates: app.vmTemplate ? [{ name, app: { id: app.id }, disks: [name] }] : [],
        serviceTemplate: null,
      });
      expect(res.json.created).toHaveLength(1);
      expect(res.json.created[0]).toMatchObject({
        name,
        state: "LOCKED",
        origin: "APP",
        fromAppId: app.id,
        datastore: { id: rawDs.id },
      });
      const img = await settleImage(client, res.json.created[0].id);
      expect(img, img.error).toMatchObject({
        state: "READY",
        format: "raw",
        sizeBytes: 8 * MiB,
        virtualSizeBytes: 8 * MiB,
        fromAppId: app.id,
        type: "OS",
      });
      const file = path.join(rawDs.basePath, `img-${img.id}`);
      execFileSync("qemu-img", ["compare", "-q", "-f", "qcow2", "-F", "raw", qcow2Path, file]);
      const vts = await db().vmTemplate.findMany({ where: { name, fromAppId: app.id } });
      expect(vts.map((v) => v.template)).toEqual(
        app.vmTemplate ? [`CPU = "1"\nMEMORY = "512"\nDISK = [\n  IMAGE_ID = "${img.id}" ]\n`] : [],
      );
      expect(img.sha256).toBe(digests(readFileSync(file)).sha256);
    }
    expectProblem(await d.post(`/api/v1/apps/${importS3.id}/import`, { datastoreId: rawDs.id, name: "from-s3" }), 409, [
      "name",
    ]);
    // a datastore the user may not use does not exist for them
    const closed = await admin.post("/api/v1/datastores", { name: "closed-ds" });
    expectProblem(await d.post(`/api/v1/apps/${importS3.id}/import`, { datastoreId: closed.json.id, name: "x" }), 404);
  });

  it("a corrupted marketplace file fails the import on its checksum or size, leaving no image", async () => {
    const file = path.join(publicDir, importWeb.source.split("/").pop());
    const original = readFileSync(file);
    const corrupt = Buffer.from(original);
    corrupt[corrupt.length >> 1] ^= 0xff;
    const cases: [string, () => void, RegExp][] = [
      ["corrupt", () => writeFileSync(file, corrupt), /^md5 mismatch: expected [0-9a-f]{32}, got [0-9a-f]{32}$/],
      ["short", () => truncateSync(file, original.length - 1), /^size mismatch: expected \d+ bytes, got \d+$/],
    ];
    try {
      for (const [name, damage, reason] of cases) {
        damage();
        const before = readdirSync(rawDs.basePath);
        const res = await admin.post(`/api/v1/apps/${importWeb.id}/import`, { datastoreId: rawDs.id, name });
        expect(res.status, res.text).toBe(201);
        const imageId = res.json.created[0].id;
        expect(res.json.created[0].job.id).toBe(res.json.jobId);
        const job = await settleJob(admin, res.json.jobId);
        expect(job.state).toBe("FAILED");
        expect(job.error).toMatch(reason);
        expectProblem(await admin.get(`/api/v1/images/${imageId}`), 404);
        expect(await db().image.count({ where: { id: imageId } })).toBe(0);
        expect(readdirSync(rawDs.basePath)).toEqual(before);
        expect(readdirSync(rawDs.basePath).filter((f) => f.startsWith(`img-${imageId}`))).toEqual([]);
        writeFileSync(file, original);
      }
    } finally {
      writeFileSync(file, original);
    }
    // the app itself is untouched
    expect((await admin.get(`/api/v1/apps/${importWeb.id}`)).json.state).toBe("READY");
  });
});

/** HEAD of an app's download, as Next.js answers it: with the GET handler. */
async function headOfDownload(client: ApiClient, id: number): Promise<Response> {
  const route = await import("@/app/api/v1/apps/[id]/download/route");
  const headers = new Headers({ cookie: `bazaar_session=${client.sessionCookie}` });
  const req = new Request(new URL(`/api/v1/apps/${id}/download`, BASE_URL), { method: "HEAD", headers });
  return route.GET(req as never, { params: Promise.resolve({ id: String(id) }) });
}

describe("download", () => {
  it("streams a READY app whole or by range, from either marketplace", async () => {
    for (const app of [webApp, s3App]) {
      const whole = await rawRequest(admin, `/api/v1/apps/${app.id}/download`);
      expect(whole.status).toBe(200);
      expect(whole.headers.get("content-length")).toBe(String(qcow2.length));
      expect(whole.headers.get("accept-ranges")).toBe("bytes");
      expect(whole.headers.get("content-disposition")).toBe(`attachment; filename="${app.name}.qcow2"`);
      const got = await bodyOf(whole);
      expect({ md5: got.md5, sha256: got.sha256 }).toEqual({ md5: app.md5, sha256: app.sha256 });

      const part = await rawRequest(admin, `/api/v1/apps/${app.id}/download`, {
        headers: { range: "bytes=65536-131071" },
      });
      expect(part.status).toBe(206);
      expect(part.headers.get("content-range")).toBe(`bytes 65536-131071/${qcow2.length}`);
      expect(part.headers.get("content-length")).toBe("65536");
      expect((await bodyOf(part)).bytes.equals(qcow2.subarray(65536, 131072))).toBe(true);
      const first = await rawRequest(d, `/api/v1/apps/${app.id}/download`, { headers: { range: "bytes=0-0" } });
      expect(first.status).toBe(206);
      expect((await bodyOf(first)).bytes.equals(qcow2.subarray(0, 1))).toBe(true);

      const bad = await rawRequest(admin, `/api/v1/apps/${app.id}/download`, {
        headers: { range: `bytes=${qcow2.length}-` },
      });
      expect(bad.status).toBe(416);
    }
  });

  it("states the length and the sha256 as ETag on GET and HEAD, also in the marketplace's folder", async () => {
    const head = await headOfDownload(admin, webApp.id);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(qcow2.length));
    // Next.js drops Content-Length from route handlers; the server restores it from this header
    expect(head.headers.get("x-bazaar-content-length")).toBe(String(qcow2.length));
    expect(head.headers.get("etag")).toBe(`"${webApp.sha256}"`);
    const folder = await fetchMarketFile(webApp.source, { method: "HEAD" });
    expect(folder.status).toBe(200);
    expect(folder.headers.get("x-bazaar-content-length")).toBe(String(qcow2.length));
    expect(folder.headers.get("etag")).toBe(`"${webApp.sha256}"`);
  });

  it("answers 404, never 500, for a folder path whose marketplace id is not a plain int", async () => {
    const key = webApp.source.split("/").pop();
    for (const id of ["0x1", "1e0", "00001", "99999999999", "2147483648", "-1"]) {
      const res = await fetchMarketFile(`http://localhost/market/${id}/${key}`);
      expect(res.status, id).toBe(404);
      await res.arrayBuffer();
    }
  });

  it("refuses a damaged file (cut short or grown) with 502 on GET and HEAD instead of serving it as the app", async () => {
    const file = path.join(publicDir, webApp.source.split("/").pop());
    const original = readFileSync(file);
    try {
      for (const damage of [
        () => truncateSync(file, original.length - 1),
        () => writeFileSync(file, Buffer.concat([original, Buffer.from("x")])),
      ]) {
        damage();
        for (const method of ["GET", "HEAD"] as const) {
          const res =
            method === "HEAD"
              ? await headOfDownload(admin, webApp.id)
              : await rawRequest(admin, `/api/v1/apps/${webApp.id}/download`);
          expect(res.status).toBe(502);
          if (method === "GET")
            expect((await res.json()).detail).toMatch(
              /its stored bytes are damaged: the backend holds \d+ bytes, \d+ were recorded$/,
            );
          const folder = await fetchMarketFile(webApp.source, { method });
          expect(folder.status).toBe(502);
          await folder.arrayBuffer();
        }
        // a user who is not an admin learns that it is damaged, not the backend's sizes
        const plain = await rawRequest(d, `/api/v1/apps/${webApp.id}/download`);
        expect(plain.status).toBe(502);
        expect((await plain.json()).detail).toMatch(/could not serve app .*: its stored bytes are damaged$/);
        writeFileSync(file, original);
      }
    } finally {
      writeFileSync(file, original);
    }
    const whole = await rawRequest(admin, `/api/v1/apps/${webApp.id}/download`);
    expect(whole.status).toBe(200);
    await whole.arrayBuffer();
  });

  it("refuses an app that is not READY (409); the public URL of a disabled app answers 404", async () => {
    expect((await admin.patch(`/api/v1/apps/${webApp.id}`, { enabled: false })).json.state).toBe("DISABLED");
    expectProblem(await admin.get(`/api/v1/apps/${webApp.id}/download`), 409);
    const hidden = await fetchMarketFile(webApp.source);
    expect(hidden.status).toBe(404);
    await hidden.arrayBuffer();
    expect((await admin.patch(`/api/v1/apps/${webApp.id}`, { enabled: true })).json.state).toBe("READY");
  });
});

describe("permissions", () => {
  let patsApp: Json;

  it("an app its owner made private is invisible to others: 404 on get, import and download; not listed", async () => {
    patsApp = await publishReady(p, {
      marketplaceId: web.id,
      imageId: patsDisk.id,
      name: "pats-app",
      tags: ["secret-tag"],
      hypervisor: "xen",
    });
    expect(patsApp.owner.name).toBe("pat");
    expect((await d.get(`/api/v1/apps/${patsApp.id}`)).status).toBe(200);
    expect((await p.post(`/api/v1/apps/${patsApp.id}/chmod`, { permissions: "600" })).status).toBe(204);

    expectProblem(await d.get(`/api/v1/apps/${patsApp.id}`), 404);
    expectProblem(await d.post(`/api/v1/apps/${patsApp.id}/import`, { datastoreId: rawDs.id, name: "stolen" }), 404);
    expectProblem(await d.get(`/api/v1/apps/${patsApp.id}/download`), 404);
    expectProblem(await d.patch(`/api/v1/apps/${patsApp.id}`, { description: "x" }), 404);
    expectProblem(await d.delete(`/api/v1/apps/${patsApp.id}`), 404);
    expectProblem(await d.post(`/api/v1/apps/${patsApp.id}/lock`, { level: "USE" }), 404);
    const listed = (await d.get("/api/v1/apps?perPage=200")).json;
    expect(listed.items.map((a: Json) => a.id)).not.toContain(patsApp.id);
    expect((await d.get("/api/v1/apps?q=pats")).json.total).toBe(0);
    const facets = (await d.get("/api/v1/apps/facets")).json;
    expect(facets.tags).not.toContain("secret-tag");
    expect(facets.hypervisors).not.toContain("xen");
    expect(await db().image.count({ where: { name: "stolen" } })).toBe(0);
    // its owner and admins still see it
    expect((await p.get(`/api/v1/apps/${patsApp.id}`)).status).toBe(200);
    expect((await admin.get("/api/v1/apps/facets")).json.tags).toContain("secret-tag");
  });

  it("publishing needs the create right, USE on the image and on the marketplace", async () => {
    // dave's group has no MARKETPLACE_APP right
    expectProblem(await d.post("/api/v1/apps", { marketplaceId: web.id, imageId: disk.id, name: "daves" }), 403);
    // admin's image is private (600)
    expectProblem(await p.post("/api/v1/apps", { marketplaceId: web.id, imageId: disk.id, name: "not-mine" }), 404);
    const closed = await admin.post("/api/v1/marketplaces", {
      name: "closed",
      driver: "http",
      config: { publicDir: path.join(work, "closed") },
    });
    expect((await admin.post(`/api/v1/marketplaces/${closed.json.id}/chmod`, { permissions: "600" })).status).toBe(204);
    expectProblem(
      await p.post("/api/v1/apps", { marketplaceId: closed.json.id, imageId: patsDisk.id, name: "x" }),
      404,
    );
    expectProblem(await p.post("/api/v1/apps", { marketplaceId: 999999, imageId: patsDisk.id, name: "x" }), 404);
    // a name is unique in its marketplace
    expectProblem(
      await p.post("/api/v1/apps", { marketplaceId: web.id, imageId: patsDisk.id, name: "disk-web" }),
      409,
      ["name"],
    );
    expectProblem(
      await p.post("/api/v1/apps", { marketplaceId: web.id, imageId: patsDisk.id, name: "x", tags: ["Bad Tag"] }),
      400,
      ["tags.0"],
    );
    // nothing was created, and pat's image is not held by any of it
    expect((await p.get(`/api/v1/images/${patsDisk.id}`)).json.state).toBe("READY");
    expect((await imageRow(patsDisk.id)).readers).toBe(0);
  });

  it("refuses publishing into a disabled marketplace (409)", async () => {
    expect((await admin.patch(`/api/v1/marketplaces/${web.id}`, { enabled: false })).status).toBe(200);
    try {
      expectProblem(await p.post("/api/v1/apps", { marketplaceId: web.id, imageId: patsDisk.id, name: "late" }), 409, [
        "marketplaceId",
      ]);
    } finally {
      expect((await admin.patch(`/api/v1/marketplaces/${web.id}`, { enabled: true })).status).toBe(200);
    }
  });

  it("chown hands an app over; only admins give apps away", async () => {
    expectProblem(await p.post(`/api/v1/apps/${patsApp.id}/chown`, { ownerId: dave.id }), 403);
    expect((await admin.post(`/api/v1/apps/${patsApp.id}/chown`, { ownerId: dave.id })).status).toBe(204);
    const now = await d.get(`/api/v1/apps/${patsApp.id}`);
    expect(now.json).toMatchObject({ owner: { name: "dave" }, permissions: { octal: "600" } });
    expectProblem(await p.get(`/api/v1/apps/${patsApp.id}`), 404);
    expect((await d.patch(`/api/v1/apps/${patsApp.id}`, { description: "daves now" })).status).toBe(200);
  });
});

describe("states and locks", () => {
  it("moves READY ⇄ DISABLED; a LOCKED app can be neither disabled, enabled, deleted nor imported", async () => {
    const stuck = await db().marketplaceApp.create({
      data: {
        name: "stuck",
        marketplaceId: web.id,
        zoneId: (await localZone()).id,
        state: "LOCKED",
        storageKey: "app-0-stuck",
        ownerId: adminId,
        groupId: (await db().user.findUniqueOrThrow({ where: { id: adminId } })).primaryGroupId,
      },
    });
    expectProblem(await admin.patch(`/api/v1/apps/${stuck.id}`, { enabled: false }), 409);
    expectProblem(await admin.patch(`/api/v1/apps/${stuck.id}`, { enabled: true }), 409);
    expectProblem(await admin.delete(`/api/v1/apps/${stuck.id}`), 409);
    expectProblem(await admin.post(`/api/v1/apps/${stuck.id}/import`, { datastoreId: rawDs.id, name: "stuck" }), 409);
    expectProblem(await admin.get(`/api/v1/apps/${stuck.id}/download`), 409);
    expect((await admin.get(`/api/v1/apps/${stuck.id}`)).json.state).toBe("LOCKED");
    await db().marketplaceApp.delete({ where: { id: stuck.id } });

    const app = await publishReady(admin, { marketplaceId: web.id, imageId: disk.id, name: "switched" });
    const off = await admin.patch(`/api/v1/apps/${app.id}`, { enabled: false });
    expect(off.json.state).toBe("DISABLED");
    expectProblem(await admin.post(`/api/v1/apps/${app.id}/import`, { datastoreId: rawDs.id, name: "off" }), 409);
    expectProblem(await d.patch(`/api/v1/apps/${app.id}`, { enabled: true }), 403);
    expect((await admin.get(`/api/v1/apps?state=DISABLED`)).json.items.map((a: Json) => a.id)).toEqual([app.id]);
    expect((await admin.patch(`/api/v1/apps/${app.id}`, { enabled: true })).json.state).toBe("READY");
    const actions = (
      await db().auditEvent.findMany({ where: { objectType: "MARKETPLACE_APP", objectId: String(app.id) } })
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["app.publish", "app.disable", "app.enable"]));
    // the marketplace is shared with the other blocks, which count what it holds
    expect((await admin.delete(`/api/v1/apps/${app.id}`)).status).toBe(204);
  });

  it("lock levels: USE blocks everything but reading and unlocking; MANAGE leaves use", async () => {
    const url = `/api/v1/apps/${webApp.id}`;
    expectProblem(await d.post(`${url}/lock`, { level: "USE" }), 403);
    expectProblem(await admin.post(`${url}/lock`, { level: "NONE" }), 400, ["level"]);
    const locked = await admin.post(`${url}/lock`, { level: "USE" });
    expect(locked.status, locked.text).toBe(200);
    expect(locked.json.lockLevel).toBe("USE");
    expect((await admin.get(url)).status).toBe(200);
    expect((await d.get(url)).json.lockLevel).toBe("USE");
    expectProblem(await admin.patch(url, { description: "x" }), 403);
    expectProblem(await admin.get(`${url}/download`), 403);
    expectProblem(await admin.post(`${url}/import`, { datastoreId: rawDs.id, name: "locked" }), 403);
    expectProblem(await admin.delete(url), 403);
    expectProblem(await admin.post(`${url}/chmod`, { permissions: "600" }), 403);
    expectProblem(await admin.post(`${url}/lock`, { level: "MANAGE" }), 403);
    expectProblem(await d.post(`${url}/unlock`), 403);
    expect((await admin.post(`${url}/unlock`)).json.lockLevel).toBeNull();

    expect((await admin.post(`${url}/lock`, { level: "MANAGE" })).json.lockLevel).toBe("MANAGE");
    const download = await rawRequest(admin, `${url}/download`);
    expect(download.status).toBe(200);
    await download.arrayBuffer();
    expectProblem(await admin.patch(url, { description: "x" }), 403);
    expect((await admin.post(`${url}/unlock`)).json.lockLevel).toBeNull();
    expect((await admin.patch(url, { description: "unlocked" })).status).toBe(200);
  });

  it("edits metadata only: source, size, checksums and format cannot be changed", async () => {
    const url = `/api/v1/apps/${webApp.id}`;
    const res = await admin.patch(url, {
      description: "edited",
      version: "2.2",
      tags: ["base", "Edited"],
      hypervisor: "qemu",
      architecture: "x86_64",
      vmTemplate: "CPU=2",
      source: "http://evil.example.com/x",
      md5: "0".repeat(32),
      sha256: "0".repeat(64),
      sizeBytes: 1,
      format: "raw",
      storageKey: "../../etc/passwd",
      originImageId: 1,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      description: "edited",
      version: "2.2",
      tags: ["base", "edited"],
      hypervisor: "qemu",
      vmTemplate: "CPU=2",
      source: webApp.source,
      md5: webApp.md5,
      sha256: webApp.sha256,
      sizeBytes: webApp.sizeBytes,
      format: "qcow2",
      originImageId: disk.id,
    });
    expect((await db().marketplaceApp.findUniqueOrThrow({ where: { id: webApp.id } })).storageKey).toBe(
      webApp.source.split("/").pop(),
    );
    expectProblem(await admin.patch(url, {}), 400);
    expectProblem(await admin.patch(url, { version: "" }), 400, ["version"]);
    expectProblem(await admin.patch(url, { tags: ["no spaces"] }), 400, ["tags.0"]);
    // the carried VM template is OpenNebula template text; a syntax error names its line
    const badTemplate = await admin.patch(url, { vmTemplate: 'CPU = "1"\nDISK = [ IMAGE_ID = "3"' });
    expectProblem(badTemplate, 400, ["vmTemplate"]);
    expect(badTemplate.json.detail).toMatch(/^line 2, column \d+: /);
    const badPublish = await admin.post("/api/v1/apps", {
      marketplaceId: webApp.marketplace.id,
      imageId: disk.id,
      name: "bad-template",
      vmTemplate: 'CPU = "1"\nMEMORY 512',
    });
    expectProblem(badPublish, 400, ["vmTemplate"]);
    expect(badPublish.json.detail).toMatch(/^line 2, /);
    expectProblem(await admin.patch(url, { name: "pats-app" }), 409, ["name"]);
    expectProblem(await d.patch(url, { description: "daves" }), 403);
    // the same name in another marketplace is fine
    expect((await admin.patch(`/api/v1/apps/${s3App.id}`, { name: "disk-web" })).json.name).toBe("disk-web");
    expect((await admin.patch(`/api/v1/apps/${s3App.id}`, { name: "disk-s3" })).json.name).toBe("disk-s3");
  });
});

describe("catalog", () => {
  let catalog: Json;
  let remoteApp: { id: number };
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const res = await admin.post("/api/v1/marketplaces", {
      name: "catalog",
      driver: "http",
      config: { publicDir: path.join(work, "catalog") },
    });
    expect(res.status, res.text).toBe(201);
    catalog = res.json;
    const zoneId = (await localZone()).id;
    const groupOf = async (id: number) => (await db().user.findUniqueOrThrow({ where: { id } })).primaryGroupId;
    const base = { marketplaceId: catalog.id, zoneId, storageKey: "" };
    const rows = [
      {
        name: "c-alpine",
        type: "IMAGE",
        state: "READY",
        format: "qcow2",
        hypervisor: "kvm",
        architecture: "x86_64",
        tags: ",linux,small,",
        description: "Alpine Linux",
        version: "3.19",
        sizeBytes: 50n,
        ownerId: adminId,
      },
      {
        name: "c-debian",
        type: "IMAGE",
        state: "READY",
        format: "raw",
        hypervisor: "kvm",
        architecture: "aarch64",
        tags: ",linux,debian,",
        description: "",
        version: "12",
        sizeBytes: 400n,
        ownerId: pat.id,
      },
      {
        name: "c-windows",
        type: "IMAGE",
        state: "ERROR",
        format: "qcow2",
        hypervisor: "vmware",
        architecture: "x86_64",
        tags: ",windows,",
        description: "",
        version: "11",
        sizeBytes: 300n,
        ownerId: adminId,
      },
      {
        name: "c-template",
        type: "VMTEMPLATE",
        state: "READY",
        format: "",
        hypervisor: "kvm",
        architecture: "x86_64",
        tags: ",linux,template,",
        description: "",
        version: "1",
        sizeBytes: 0n,
        ownerId: adminId,
      },
      {
        name: "c-ubuntu",
        type: "IMAGE",
        state: "DISABLED",
        format: "qcow2",
        hypervisor: "kvm",
        architecture: "x86_64",
        tags: ",linux,small,ubuntu,",
        description: "Noble",
        version: "24.04",
        sizeBytes: 200n,
        ownerId: pat.id,
      },
    ];
    for (const r of rows) {
      const row = await db().marketplaceApp.create({ data: { ...base, ...r, groupId: await groupOf(r.ownerId) } });
      ids[r.name] = row.id;
    }
    const remote = await db().zone.create({ data: { name: "remote-zone" } });
    const far = await db().marketplace.create({
      data: {
        name: "far-away",
        zoneId: remote.id,
        driver: "http",
        config: JSON.stringify({ publicDir: "/srv/far-away", baseUrl: "https://far.example.com/apps" }),
        ownerId: adminId,
        groupId: await groupOf(adminId),
        groupRights: 4,
        otherRights: 4,
        monitorDueAt: new Date(Date.now() + 3600_000),
      },
    });
    remoteApp = await db().marketplaceApp.create({
      data: {
        name: "c-remote",
        marketplaceId: far.id,
        zoneId: remote.id,
        state: "READY",
        format: "qcow2",
        storageKey: "app-1-000000000000",
        source: "https://far.example.com/apps/app-1-000000000000",
        ownerId: adminId,
        groupId: await groupOf(adminId),
      },
    });
  });

  const list = async (client: ApiClient, query: string) => {
    const res = await client.get(`/api/v1/apps?marketplaceId=${catalog.id}&${query}`);
    expect(res.status, res.text).toBe(200);
    return res.json as { items: Json[]; total: number; page: number; perPage: number };
  };
  const namesOf = async (query: string, client: ApiClient = d) => (await list(client, query)).items.map((a) => a.name);

  it("filters by type, state, format, hypervisor, architecture, tags (all of them), owner and text", async () => {
    expect(await namesOf("")).toEqual(["c-alpine", "c-debian", "c-template", "c-ubuntu", "c-windows"]);
    // rows stored with the column's default image template read (and import) as OS images
    expect((await d.get(`/api/v1/apps/${ids["c-alpine"]}`)).json.imageTemplate).toEqual({ type: "OS" });
    expect(await namesOf("type=VMTEMPLATE")).toEqual(["c-template"]);
    expect(await namesOf("state=ERROR")).toEqual(["c-windows"]);
    expect(await namesOf("state=READY&type=IMAGE")).toEqual(["c-alpine", "c-debian"]);
    expect(await namesOf("format=raw")).toEqual(["c-debian"]);
    expect(await namesOf("hypervisor=vmware")).toEqual(["c-windows"]);
    expect(await namesOf("architecture=aarch64")).toEqual(["c-debian"]);
    expect(await namesOf("tags=linux,small")).toEqual(["c-alpine", "c-ubuntu"]);
    expect(await namesOf("tags=LINUX")).toEqual(["c-alpine", "c-debian", "c-template", "c-ubuntu"]);
    expect(await namesOf("tags=lin")).toEqual([]); // whole tags only
    expect(await namesOf("tags=small,windows")).toEqual([]);
    expect(await namesOf(`ownerId=${pat.id}`)).toEqual(["c-debian", "c-ubuntu"]);
    expect(await namesOf("q=ALPINE")).toEqual(["c-alpine"]); // name and description, any case
    expect(await namesOf("q=noble")).toEqual(["c-ubuntu"]);
    expect(await namesOf("q=debian")).toEqual(["c-debian"]);
    expect(await namesOf("q=24.04")).toEqual(["c-ubuntu"]);
    expect(await namesOf("hypervisor=kvm&architecture=x86_64&tags=small")).toEqual(["c-alpine", "c-ubuntu"]);
    // without the marketplace filter, every marketplace's apps are searched
    const everywhere = (await d.get("/api/v1/apps?perPage=200&hypervisor=kvm&tags=linux")).json.items.map(
      (a: Json) => a.name,
    );
    expect(everywhere).toEqual(expect.arrayContaining(["c-alpine", "disk-s3"]));
    // pats-app is dave's since the chown
    expect(
      (await d.get(`/api/v1/apps?marketplaceId=${web.id}&perPage=200`)).json.items.map((a: Json) => a.name),
    ).toEqual(["disk-web", "pats-app"]);
    expectProblem(await d.get("/api/v1/apps?state=BOGUS"), 400, ["state"]);
    expectProblem(await d.get("/api/v1/apps?type=VM"), 400, ["type"]);
    expectProblem(await d.get("/api/v1/apps?sort=owner"), 400, ["sort"]);
    expectProblem(await d.get("/api/v1/apps?perPage=500"), 400, ["perPage"]);
  });

  it("sorts and pages", async () => {
    const bySize = await list(d, "sort=sizeBytes&order=desc");
    expect(bySize.items.map((a) => a.name)).toEqual(["c-debian", "c-windows", "c-ubuntu", "c-alpine", "c-template"]);
    const page2 = await list(d, "sort=sizeBytes&order=desc&perPage=2&page=2");
    expect(page2).toMatchObject({ total: 5, page: 2, perPage: 2 });
    expect(page2.items.map((a) => a.name)).toEqual(["c-ubuntu", "c-alpine"]);
    expect((await list(d, "sort=sizeBytes&order=desc&perPage=2&page=3")).items.map((a) => a.name)).toEqual([
      "c-template",
    ]);
    expect((await list(d, "perPage=2&page=9")).items).toEqual([]);
    expect((await list(d, "sort=name&order=desc")).items.map((a) => a.name)).toEqual([
      "c-windows",
      "c-ubuntu",
      "c-template",
      "c-debian",
      "c-alpine",
    ]);
    expect((await list(d, "sort=type&order=desc")).items[0].name).toBe("c-template");
  });

  it("lists the values the filters can take, among the apps the user may use", async () => {
    const facets = (await d.get("/api/v1/apps/facets")).json;
    expect(facets.formats).toEqual(["qcow2", "raw"]);
    expect(facets.hypervisors).toEqual(expect.arrayContaining(["kvm", "vmware", "qemu"]));
    expect(facets.architectures).toEqual(["aarch64", "x86_64"]);
    expect(facets.tags).toEqual(
      expect.arrayContaining(["base", "debian", "edited", "linux", "small", "template", "ubuntu", "windows"]),
    );
    expect([...facets.tags].sort()).toEqual(facets.tags);
    expect(new Set(facets.tags).size).toBe(facets.tags.length);
    // made private, its values go from everyone else's facets
    await db().marketplaceApp.update({ where: { id: ids["c-windows"] }, data: { groupRights: 0, otherRights: 0 } });
    const after = (await d.get("/api/v1/apps/facets")).json;
    expect(after.hypervisors).not.toContain("vmware");
    expect(after.tags).not.toContain("windows");
    expect(await namesOf("")).not.toContain("c-windows");
  });

  it("apps of every zone are in the catalog; only their own zone publishes to or deletes from it", async () => {
    const remote = await d.get(`/api/v1/apps/${remoteApp.id}`);
    expect(remote.status, remote.text).toBe(200);
    expect(remote.json.zone.name).toBe("remote-zone");
    const inZone = (await d.get(`/api/v1/apps?zoneId=${remote.json.zone.id}`)).json.items.map((a: Json) => a.name);
    expect(inZone).toEqual(["c-remote"]);
    const del = await admin.delete(`/api/v1/apps/${remoteApp.id}`);
    expectProblem(del, 409);
    expect(del.json.code).toBe("WRONG_ZONE");
    const publish = await p.post("/api/v1/apps", {
      marketplaceId: remote.json.marketplace.id,
      imageId: patsDisk.id,
      name: "elsewhere",
    });
    expectProblem(publish, 409, ["marketplaceId"]);
    expect(publish.json.code).toBe("WRONG_ZONE");
    expect((await p.get(`/api/v1/images/${patsDisk.id}`)).json.state).toBe("READY");
  });
});

describe("S3 failures", () => {
  it("a service that stops mid-publish leaves the app in ERROR, the image READY and, after a monitor, no multipart upload", async () => {
    const bigImage = await urlImage(admin, { url: server.url("/big.raw"), name: "big", datastoreId: imagesDs.id });
    expect(bigImage).toMatchObject({ sizeBytes: big.data.length, sha256: big.sha256 });
    // The service stores the first part and holds the next one unanswered: it stops while the
    // upload is surely in the middle, with a part on its disk.
    let appId = 0;
    s3.requests.splice(0);
    s3.holdPartsAfter(1);
    const res = await admin.post("/api/v1/apps", { marketplaceId: bucket.id, imageId: bigImage.id, name: "big" });
    expect(res.status, res.text).toBe(201);
    appId = res.json.id;
    await waitFor("a part upload held", async () => s3.heldParts() > 0, 30_000);
    await s3.stop();
    expect(await s3.uploadsOnDisk(BUCKET)).not.toEqual([]);
    expect((await db().marketplaceApp.findUniqueOrThrow({ where: { id: appId } })).state).toBe("LOCKED");
    const during = await imageRow(bigImage.id);
    expect(during.state).toBe("USED");
    expect(during.readers).toBe(1);

    // a delete the backend cannot carry out keeps the app, in ERROR, with the reason
    const del = await admin.delete(`/api/v1/apps/${s3App.id}`);
    expectProblem(del, 502);
    expect(del.json.code).toBe("BACKEND_FAILED");
    const kept = (await admin.get(`/api/v1/apps/${s3App.id}`)).json;
    expect(kept.state).toBe("ERROR");
    expect(kept.error).toMatch(/^deleting its bytes from its marketplace failed: .+/);
    expect(del.json.detail).toContain(kept.error);

    const failed = await settleApp(admin, appId, 80_000);
    expect(failed.state).toBe("ERROR");
    expect(failed.error).toMatch(/ECONNREFUSED|connect|socket|ECONNRESET/i);
    expect(failed.job).toMatchObject({ state: "FAILED" });
    expect(failed.job.error).toBe(failed.error);
    const released = await imageRow(bigImage.id);
    expect(released.state).toBe("READY");
    expect(released.readers).toBe(0);
    expect((await admin.get(`/api/v1/images/${bigImage.id}`)).json.state).toBe("READY");

    // the service comes back holding the dead upload's parts; the monitor aborts them
    s3 = await startS3({ directory: s3.directory, port: s3.port });
    expect(await s3.uploadsOnDisk(BUCKET)).not.toEqual([]);
    const monitored = await admin.post(`/api/v1/marketplaces/${bucket.id}/monitor`);
    expect(monitored.status, monitored.text).toBe(200);
    expect(monitored.json.monitorError).toBe("");
    expect(await s3.uploadsOnDisk(BUCKET)).toEqual([]);
    const client = s3Client(s3.endpoint);
    expect(await s3Keys(client, BUCKET)).toEqual([s3App.source.replace(`s3://${BUCKET}/`, "")]);
    expect(monitored.json.capacity.usedBytes).toBe(s3App.sizeBytes);

    // with the service back, both go, bytes included
    expect((await admin.delete(`/api/v1/apps/${s3App.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/v1/apps/${failed.id}`)).status).toBe(204);
    expect(await s3Keys(client, BUCKET)).toEqual([]);
    expectProblem(await admin.get(`/api/v1/apps/${s3App.id}`), 404);
  }, 90_000);
});

describe("delete", () => {
  it("removes an http app and its file; others may not", async () => {
    // an image imported from it, which must outlive it
    const imported = await admin.post(`/api/v1/apps/${webApp.id}/import`, { datastoreId: imagesDs.id, name: "kept" });
    expect(imported.status, imported.text).toBe(201);
    const kept = await settleImage(admin, imported.json.created[0].id);
    expect(kept.state, kept.error).toBe("READY");
    const file = path.join(publicDir, webApp.source.split("/").pop());
    expect(readFileSync(file).length).toBe(qcow2.length);
    expectProblem(await d.delete(`/api/v1/apps/${webApp.id}`), 403);
    expect((await admin.delete(`/api/v1/apps/${webApp.id}`)).status).toBe(204);
    expect(readdirSync(publicDir)).not.toContain(path.basename(file));
    expectProblem(await admin.get(`/api/v1/apps/${webApp.id}`), 404);
    const gone = await fetchMarketFile(webApp.source);
    expect(gone.status).toBe(404);
    await gone.arrayBuffer();
    // what was imported from it stays, and still says where it came from
    expect((await admin.get(`/api/v1/images/${kept.id}`)).json).toMatchObject({ state: "READY", fromAppId: webApp.id });
    const [event] = await db().auditEvent.findMany({ where: { action: "app.delete", objectId: String(webApp.id) } });
    expect(event).toBeDefined();
  });
});

describe("leaks", () => {
  it("no password, token, cookie or stored hash appears in any response or audit event", async () => {
    await expectNoSecretsLeaked();
  });
});
