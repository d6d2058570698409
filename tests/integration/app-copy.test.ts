import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { startWorker } from "@/lib/jobs/worker";
import { parseTemplate } from "@/lib/templates/template-text";
import { localZone } from "@/lib/zones/local-zone";
import {
  ApiClient,
  createGroup,
  createUser,
  expectProblem,
  signIn,
  signInAdmin,
  type Json,
  type UserFixture,
} from "../helpers/api";
import { allowLoopbackUrls, randomPayload, serveBytes, waitFor } from "../support/images";
import {
  createServiceTemplate,
  createVmTemplate,
  digests,
  MiB,
  publishReady,
  readS3Object,
  s3Client,
  s3Keys,
  settleApp,
  settleJob,
  urlImage,
} from "../support/markets";
import { S3RVER_SECRET_ACCESS_KEY, startS3, type TestS3 } from "../support/s3";

/**
 * "Copy to marketplace" (the mirror) with a real worker: apps of an http, an s3, a remote
 * zone's and a public catalog's marketplace copied with their child apps into http and s3
 * marketplaces of this zone, the bytes read back from both sides, the templates naming the
 * copies; a source whose bytes were tampered with, a cancel half-way, and the refusals.
 */
const BUCKET = "mirror";
let admin: ApiClient;
let worker: ReturnType<typeof startWorker>;
let server: Awaited<ReturnType<typeof serveBytes>>;
let catalog: Awaited<ReturnType<typeof serveCatalog>>;
let s3: TestS3;
let pat: UserFixture; // may publish (and so copy)
let p: ApiClient;
let dave: UserFixture; // default rights: no create right for apps
let d: ApiClient;
let imagesDs: Json;
let origin: Json; // http marketplace the composite sources live in
let web: Json; // http marketplace
let bucket: Json; // s3 marketplace
const img: Record<string, Json> = {};
const work = mkdtempSync(path.join(tmpdir(), "bazaar-copy-"));
/** the folder of each http marketplace, by id */
const dirs: Record<number, string> = {};

const bytes: Record<string, Buffer> = {
  a: randomPayload(MiB).data,
  b: randomPayload(MiB).data,
  s1: randomPayload(512 * 1024).data,
  s2: randomPayload(512 * 1024).data,
  s3: randomPayload(512 * 1024).data,
  t: randomPayload(256 * 1024).data,
};
/** a public catalog's file: served with Range support, slowly on its /slow path */
const appliance = randomPayload(2 * MiB).data;

/** A public catalog's download server: whole files, `Range: bytes=0-0`, and a throttled path. */
async function serveCatalog() {
  const srv = http.createServer(async (req, res) => {
    const slow = req.url?.startsWith("/slow/");
    if (!req.url?.endsWith("/download/0")) return res.writeHead(404).end();
    if (req.headers.range === "bytes=0-0")
      return res
        .writeHead(206, { "content-range": `bytes 0-0/${appliance.length}`, "content-length": 1 })
        .end(appliance.subarray(0, 1));
    res.writeHead(200, { "content-length": appliance.length, "content-type": "application/octet-stream" });
    if (!slow) return res.end(appliance);
    for (let i = 0; i < appliance.length && !res.destroyed; i += 64 * 1024) {
      if (!res.write(appliance.subarray(i, i + 64 * 1024))) await once(res, "drain").catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
    res.end();
  });
  srv.listen(0, "127.0.0.1");
  await once(srv, "listening");
  const { port } = srv.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  };
}

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  s3 = await startS3();
  server = await serveBytes(Object.fromEntries(Object.entries(bytes).map(([k, v]) => [`/${k}`, v])));
  catalog = await serveCatalog();
  worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, concurrency: 2, log: () => {} });
  const publishers = await createGroup(admin, "publishers", {
    createRights: ["IMAGE", "MARKETPLACE_APP", "VM_TEMPLATE"],
  });
  pat = await createUser(admin, "pat", { primaryGroupId: publishers, groupIds: [publishers] });
  p = await signIn("pat", pat.password);
  dave = await createUser(admin, "dave");
  d = await signIn("dave", dave.password);

  const shared = async (kind: string, body: Record<string, unknown>) => {
    const res = await admin.post(`/api/v1/${kind}`, body);
    expect(res.status, res.text).toBe(201);
    expect((await admin.post(`/api/v1/${kind}/${res.json.id}/chmod`, { permissions: "644" })).status).toBe(204);
    return res.json;
  };
  const httpMarket = async (name: string) => {
    const publicDir = path.join(work, name);
    const market = await shared("marketplaces", { name, driver: "http", config: { publicDir } });
    dirs[market.id] = publicDir;
    return market;
  };
  imagesDs = await shared("datastores", { name: "images" });
  origin = await httpMarket("origin");
  web = await httpMarket("web");
  bucket = await shared("marketplaces", {
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
  // the periodic monitor is not what these tests are about
  await db().marketplace.updateMany({ data: { monitorDueAt: new Date(Date.now() + 3600_000) } });
  const made = await Promise.all(
    Object.keys(bytes).map((name) => urlImage(admin, { url: server.url(`/${name}`), name, datastoreId: imagesDs.id })),
  );
  Object.keys(bytes).forEach((name, i) => (img[name] = made[i]));
});

afterAll(async () => {
  await worker.stop();
  await server.close();
  await catalog.close();
  await s3.stop();
  rmSync(s3.directory, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const bucketClient = () => s3Client(s3.endpoint);
const keyOf = (app: { source: string }) => app.source.split("/").at(-1)!;
const appIds = async () =>
  (await db().marketplaceApp.findMany({ select: { id: true } })).map((a) => a.id).sort((x, y) => x - y);

/** The bytes an app's marketplace holds for it, read back from the backend itself. */
async function storedBytes(app: Json): Promise<Buffer> {
  if (app.source.startsWith("s3://")) return readS3Object(bucketClient(), BUCKET, keyOf(app));
  return readFileSync(path.join(dirs[app.marketplace.id], keyOf(app)));
}

/** What a marketplace holds: the bucket's objects and open uploads, or the folder's files (dotfiles too). */
const leftovers = async (market: Json) =>
  market.driver === "s3"
    ? [...(await s3Keys(bucketClient(), BUCKET)), ...(await s3.uploadsOnDisk(BUCKET))]
    : existsSync(dirs[market.id])
      ? readdirSync(dirs[market.id]).sort()
      : [];

/** Starts a copy: the 202 answer. */
async function startCopy(client: ApiClient, appId: number, body: Record<string, unknown>): Promise<Json> {
  const res = await client.post(`/api/v1/apps/${appId}/copy`, body);
  expect(res.status, res.text).toBe(202);
  return res.json;
}

/** Copies an app and waits for its job to succeed; the copy as the API shows it then. */
async function copyApp(client: ApiClient, appId: number, body: Record<string, unknown>) {
  const started = await startCopy(client, appId, body);
  const job = await settleJob(client, started.jobId);
  expect(job.state, job.error).toBe("SUCCEEDED");
  const app = (await client.get(`/api/v1/apps/${started.app.id}`)).json as Json;
  return { started, job, app };
}

const full = async (id: number) => (await admin.get(`/api/v1/apps/${id}`)).json as Json;

/** The bytes and checksums of a copied image app are its source's, on both backends. */
async function expectSameBytes(copy: Json, source: Json) {
  expect(copy).toMatchObject({
    type: "IMAGE",
    state: "READY",
    sizeBytes: source.sizeBytes,
    md5: source.md5,
    sha256: source.sha256,
    format: source.format,
  });
  expect(copy.source).not.toBe(source.source);
  const [mine, theirs] = [await storedBytes(copy), await storedBytes(source)];
  expect(mine.equals(theirs)).toBe(true);
  expect(digests(mine)).toEqual({ md5: source.md5, sha256: source.sha256 });
}

describe("copy an image app", () => {
  let webApp: Json; // image a in the http marketplace
  let s3App: Json; // image b in the s3 marketplace

  beforeAll(async () => {
    webApp = await publishReady(admin, {
      marketplaceId: web.id,
      imageId: img.a.id,
      name: "img-a",
      version: "2.1",
      description: "the first disk",
      tags: ["linux", "small"],
      hypervisor: "kvm",
      architecture: "x86_64",
      vmTemplate: 'CPU = "1"\nMEMORY = "256"\n',
    });
    await db().marketplaceApp.update({
      where: { id: webApp.id },
      data: { shortDescription: "one line", logoUrl: "https://example.com/logo.png" },
    });
    webApp = await full(webApp.id);
    s3App = await publishReady(admin, { marketplaceId: bucket.id, imageId: img.b.id, name: "img-b" });
  });

  it("http → s3: a READY copy owned by the requester, with the source's attributes, bytes and checksums", async () => {
    const { started, job, app } = await copyApp(p, webApp.id, { marketplaceId: bucket.id });
    expect(started).toMatchObject({
      jobId: job.id,
      app: { name: "img-a", state: "LOCKED", marketplace: { id: bucket.id }, job: { id: job.id, kind: "app.copy" } },
      created: [{ id: started.app.id, name: "img-a", state: "LOCKED" }],
    });
    expect(app).toMatchObject({
      name: "img-a",
      marketplace: { id: bucket.id, name: "bucket" },
      owner: { id: pat.id },
      version: "2.1",
      description: "the first disk",
      shortDescription: "one line",
      logoUrl: "https://example.com/logo.png",
      tags: ["linux", "small"],
      hypervisor: "kvm",
      architecture: "x86_64",
      imageTemplate: webApp.imageTemplate,
      vmTemplate: webApp.vmTemplate,
      publisher: webApp.publisher,
      upstreamKey: null,
      originImageId: null,
      error: "",
    });
    expect(app.source).toMatch(new RegExp(`^s3://${BUCKET}/(.*-)?app-${app.id}-[0-9a-f]{12}$`));
    await expectSameBytes(app, webApp);
    expect(await s3.uploadsOnDisk(BUCKET)).toEqual([]);
    // the source is untouched
    expect(await full(webApp.id)).toMatchObject({ state: "READY", md5: webApp.md5, source: webApp.source });

    // the job shows its plan: one copy step, then the pivot
    expect(job).toMatchObject({ kind: "app.copy", bytesTotal: webApp.sizeBytes, bytesDone: webApp.sizeBytes });
    expect(job.steps).toEqual([
      expect.objectContaining({ key: `copy:${app.id}`, kind: "market.copy", state: "DONE", weight: webApp.sizeBytes }),
      expect.objectContaining({ key: "ready", kind: "copy.ready", state: "DONE" }),
    ]);
    const events = (await admin.get(`/api/v1/audit?action=app.copy&objectId=${app.id}`)).json.items as Json[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorName: "pat",
      objectType: "MARKETPLACE_APP",
      objectName: "img-a",
    });
  });

  it("s3 → http, under the name given", async () => {
    const { app } = await copyApp(admin, s3App.id, { marketplaceId: web.id, name: "img-b-mirror" });
    expect(app).toMatchObject({ name: "img-b-mirror", marketplace: { id: web.id } });
    expect(app.source).toMatch(new RegExp(`/app-${app.id}-[0-9a-f]{12}$`));
    await expectSameBytes(app, s3App);
  });

  it("an app of another zone's marketplace is copied into this zone", async () => {
    const far = await admin.post("/api/v1/marketplaces", {
      name: "far",
      driver: "http",
      config: { publicDir: path.join(work, "far") },
    });
    expect(far.status, far.text).toBe(201);
    dirs[far.json.id] = path.join(work, "far");
    const farApp = await publishReady(admin, { marketplaceId: far.json.id, imageId: img.t.id, name: "far-t" });
    const remote = await db().zone.create({ data: { name: "far-zone" } });
    await db().marketplace.update({ where: { id: far.json.id }, data: { zoneId: remote.id } });
    await db().marketplaceApp.update({ where: { id: farApp.id }, data: { zoneId: remote.id } });
    const { app } = await copyApp(admin, farApp.id, { marketplaceId: bucket.id });
    expect(app.zone.id).toBe((await localZone()).id);
    await expectSameBytes(app, await full(farApp.id));
  });
});

describe("copy a public catalog's app", () => {
  let market: { id: number };
  const publicApp = async (name: string, storageKey: string) => {
    const admins = await db().user.findFirstOrThrow({ where: { username: "admin" } });
    return db().marketplaceApp.create({
      data: {
        name,
        marketplaceId: market.id,
        zoneId: (await localZone()).id,
        type: "IMAGE",
        state: "READY",
        format: "qcow2",
        sizeBytes: BigInt(appliance.length),
        // the catalog gives an md5 only
        md5: digests(appliance).md5,
        storageKey,
        source: `${catalog.endpoint}${storageKey}`,
        upstreamKey: `${name}@1.0`,
        upstreamDigest: "d1",
        shortDescription: "from the catalog",
        logoUrl: "https://example.com/alpine.png",
        publisher: "OpenNebula Systems",
        imageTemplate: JSON.stringify({ type: "OS", devPrefix: "vd" }),
        ownerId: admins.id,
        groupId: admins.primaryGroupId,
      },
    });
  };

  beforeAll(async () => {
    const admins = await db().user.findFirstOrThrow({ where: { username: "admin" } });
    market = await db().marketplace.create({
      data: {
        name: "public",
        zoneId: (await localZone()).id,
        driver: "one",
        config: JSON.stringify({ endpoint: catalog.endpoint, version: "7.4" }),
        ownerId: admins.id,
        groupId: admins.primaryGroupId,
        monitorDueAt: new Date(Date.now() + 3600_000),
      },
    });
  });

  it("streams it from the catalog, verifies the one checksum it has and fills in the other; the copy is private", async () => {
    const source = await publicApp("alpine", "appliance/1/download/0");
    const { app } = await copyApp(p, source.id, { marketplaceId: bucket.id });
    expect(app).toMatchObject({
      name: "alpine",
      state: "READY",
      upstreamKey: null,
      shortDescription: "from the catalog",
      logoUrl: "https://example.com/alpine.png",
      publisher: "OpenNebula Systems",
      imageTemplate: { type: "OS", devPrefix: "vd" },
      sizeBytes: appliance.length,
      ...digests(appliance),
    });
    expect((await storedBytes(app)).equals(appliance)).toBe(true);
    expect(await db().marketplaceApp.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({
      upstreamKey: null,
      upstreamDigest: "",
    });
  });

  it("a public catalog is read-only: it is no target", async () => {
    const source = await full((await publicApp("alpine-2", "appliance/2/download/0")).id);
    const res = await admin.post(`/api/v1/apps/${source.id}/copy`, { marketplaceId: market.id, name: "again" });
    expectProblem(res, 409);
    expect(res.json.detail).toMatch(/does not accept new apps/);
  });

  it("a cancel half-way stops the transfer and leaves no copy and no byte", async () => {
    const source = await publicApp("slow", "slow/download/0");
    const apps = await appIds();
    const held = await leftovers(bucket);
    const started = await startCopy(admin, source.id, { marketplaceId: bucket.id });
    await waitFor("bytes to move", async () => {
      const job = (await admin.get(`/api/v1/jobs/${started.jobId}`)).json;
      return job.state === "RUNNING" && job.bytesDone > 0;
    });
    const cancel = await admin.post(`/api/v1/jobs/${started.jobId}/cancel`);
    expect(cancel.status, cancel.text).toBeLessThan(300);
    const job = await settleJob(admin, started.jobId);
    expect(job.state).toBe("CANCELLED");
    expect(job.bytesDone).toBeLessThan(appliance.length);
    expect(await appIds()).toEqual(apps);
    expect(await leftovers(bucket)).toEqual(held);
  });
});

describe("copy composite apps", () => {
  let vmApp: Json; // a VM template with two image disks, in the origin marketplace
  let svcApp: Json; // a service whose two roles share an image, in the origin marketplace

  beforeAll(async () => {
    const vm = await createVmTemplate(
      admin,
      "vm",
      `CPU = "1"\nMEMORY = "512"\nDISK = [ IMAGE_ID = "${img.a.id}", DEV_PREFIX = "vd" ]\nDISK = [ IMAGE_ID = "${img.b.id}" ]\nDISK = [ TYPE = "fs", SIZE = "64" ]\nNIC = [ NETWORK = "x" ]\n`,
    );
    vmApp = await full((await publishReady(admin, { marketplaceId: origin.id, vmTemplateId: vm.id, name: "vm" })).id);
    const vmDb = await createVmTemplate(
      admin,
      "db",
      `CPU = "2"\nMEMORY = "1024"\nDISK = [ IMAGE_ID = "${img.s1.id}" ]\nDISK = [ IMAGE_ID = "${img.s2.id}" ]\n`,
    );
    const vmWeb = await createVmTemplate(
      admin,
      "web",
      `CPU = "1"\nMEMORY = "256"\nDISK = [ IMAGE_ID = "${img.s3.id}" ]\nDISK = [ IMAGE_ID = "${img.s1.id}" ]\n`,
    );
    const svc = await createServiceTemplate(admin, {
      name: "svc",
      deployment: "straight",
      roles: [
        { name: "db", cardinality: 1, vm_template: vmDb.id },
        { name: "web", cardinality: 2, vm_template: vmWeb.id, parents: ["db"] },
      ],
    });
    const started = await admin.post("/api/v1/apps", {
      marketplaceId: origin.id,
      serviceTemplateId: svc.id,
      name: "svc",
    });
    expect(started.status, started.text).toBe(201);
    expect((await settleApp(admin, started.json.id)).state).toBe("READY");
    svcApp = await full(started.json.id);
  });

  /** The apps of a tree by their place: "DISK 0", "db", "db/DISK 1"… */
  const leaves = (app: Json): Record<string, Json> =>
    Object.fromEntries(
      app.children.flatMap((c: Json) => [
        [c.slot, c.app],
        ...(c.app.children ?? []).map((g: Json) => [`${c.slot}/${g.slot}`, g.app]),
      ]),
    );

  it.each([["http"], ["s3"]])("a VM template app with its two disks into %s", async (driver) => {
    const target = driver === "s3" ? bucket : web;
    const { started, app, job } = await copyApp(admin, vmApp.id, { marketplaceId: target.id });
    expect(started.created.map((c: Json) => c.name)).toEqual(["vm", "vm-a", "vm-b"]);
    expect(app).toMatchObject({
      type: "VMTEMPLATE",
      state: "READY",
      childCount: 2,
      sizeBytes: vmApp.sizeBytes,
      marketplace: { id: target.id },
    });
    expect(app.children).toEqual([
      expect.objectContaining({ position: 0, slot: "DISK 0", created: true }),
      expect.objectContaining({ position: 1, slot: "DISK 1", created: true }),
    ]);
    const [a, b] = app.children.map((c: Json) => c.app);
    const [srcA, srcB] = vmApp.children.map((c: Json) => c.app);
    expect([a.id, b.id]).not.toContain(srcA.id);
    expect([a.name, b.name]).toEqual(["vm-a", "vm-b"]);
    await expectSameBytes(await full(a.id), await full(srcA.id));
    await expectSameBytes(await full(b.id), await full(srcB.id));
    // the disks name the copies; everything else travels unchanged
    const disks = (t: string) => parseTemplate(t).filter((x) => x.key === "DISK");
    expect(disks(app.vmTemplate).map((x) => (x.value as Record<string, string>).APP_ID)).toEqual([
      String(a.id),
      String(b.id),
      undefined,
    ]);
    expect(app.vmTemplate.replace(/APP_ID = "\d+"/g, "")).toBe(vmApp.vmTemplate.replace(/APP_ID = "\d+"/g, ""));
    expect(job.steps.map((s: Json) => s.kind)).toEqual(["market.copy", "market.copy", "copy.ready"]);
    expect(job.steps.map((s: Json) => s.part)).toEqual([`child app vm-a`, `child app vm-b`, ""]);
    // the source still names its own children
    expect((await full(vmApp.id)).vmTemplate).toBe(vmApp.vmTemplate);
  });

  it.each([["http"], ["s3"]])("a service app with its roles into %s: a shared image is copied once", async (driver) => {
    const target = driver === "s3" ? bucket : web;
    const { started, app } = await copyApp(admin, svcApp.id, { marketplaceId: target.id });
    // 1 service + 2 VM templates + 3 distinct images
    expect(started.created).toHaveLength(6);
    expect(app).toMatchObject({ type: "SERVICE_TEMPLATE", state: "READY", sizeBytes: svcApp.sizeBytes });
    const mine = leaves(app);
    const theirs = leaves(svcApp);
    expect(Object.keys(mine)).toEqual(Object.keys(theirs));
    for (const place of Object.keys(theirs)) {
      expect(mine[place].name, place).toBe(theirs[place].name);
      expect(mine[place].id, place).not.toBe(theirs[place].id);
      expect(mine[place].state, place).toBe("READY");
    }
    // db/DISK 0 and web/DISK 1 are one image app in the source, and one copy
    expect(theirs["db/DISK 0"].id).toBe(theirs["web/DISK 1"].id);
    expect(mine["db/DISK 0"].id).toBe(mine["web/DISK 1"].id);
    for (const place of ["db/DISK 0", "db/DISK 1", "web/DISK 0"])
      await expectSameBytes(await full(mine[place].id), await full(theirs[place].id));
    const body = JSON.parse(app.serviceTemplate);
    expect(body.roles.map((r: Json) => [r.name, r.app_id])).toEqual([
      ["db", mine.db.id],
      ["web", mine.web.id],
    ]);
    expect(body).toMatchObject({ name: "svc", deployment: "straight", roles: [{}, { parents: ["db"] }] });
    for (const role of ["db", "web"]) {
      const vm = await full(mine[role].id);
      const ids = parseTemplate(vm.vmTemplate)
        .filter((x) => x.key === "DISK")
        .map((x) => Number((x.value as Record<string, string>).APP_ID));
      expect(ids).toEqual(vm.children.map((c: Json) => c.app.id));
    }
    const links = await db().marketplaceAppChild.findMany({
      where: { parentId: { in: [app.id, mine.db.id, mine.web.id] } },
    });
    expect(links).toHaveLength(2 + 2 + 2);
    expect(links.every((l) => l.created)).toBe(true);
  });
});

describe("a source whose bytes were tampered with", () => {
  it("an image app: the job fails with an md5 mismatch, no copy and no object remain", async () => {
    const source = await publishReady(admin, { marketplaceId: origin.id, imageId: img.t.id, name: "tampered" });
    const file = path.join(dirs[origin.id], keyOf(source));
    const bad = randomPayload(bytes.t.length).data;
    writeFileSync(file, bad);
    const apps = await appIds();
    const held = await leftovers(bucket);
    const started = await startCopy(admin, source.id, { marketplaceId: bucket.id });
    const job = await settleJob(admin, started.jobId);
    expect(job.state).toBe("FAILED");
    expect(job.error).toContain(`md5 mismatch: expected ${source.md5}, got ${digests(bad).md5}`);
    expect(job.steps[0]).toMatchObject({ kind: "market.copy", state: "COMPENSATED" });
    expectProblem(await admin.get(`/api/v1/apps/${started.app.id}`), 404);
    expect(await appIds()).toEqual(apps);
    expect(
      await db().marketplaceApp.count({ where: { marketplaceId: bucket.id, state: "READY", name: "tampered" } }),
    ).toBe(0);
    expect(await leftovers(bucket)).toEqual(held);
  });

  it("a part of a VM template app: the job names it; every copy and byte is removed", async () => {
    const pair = await createVmTemplate(
      admin,
      "pair",
      `CPU = "1"\nMEMORY = "64"\nDISK = [ IMAGE_ID = "${img.s2.id}" ]\nDISK = [ IMAGE_ID = "${img.s3.id}" ]\n`,
    );
    const source = await full(
      (await publishReady(admin, { marketplaceId: origin.id, vmTemplateId: pair.id, name: "pair" })).id,
    );
    const second = await full(source.children[1].app.id);
    writeFileSync(path.join(dirs[origin.id], keyOf(second)), randomPayload(second.sizeBytes).data);
    const apps = await appIds();
    const held = await leftovers(web);
    const started = await startCopy(admin, source.id, { marketplaceId: web.id });
    const job = await settleJob(admin, started.jobId);
    expect(job.state).toBe("FAILED");
    expect(job.error).toMatch(new RegExp(`^child app pair-s3 failed: md5 mismatch: expected ${second.md5}, got `));
    // the first part had been stored: it is gone too
    expect(job.steps.map((s: Json) => s.state)).toEqual(["COMPENSATED", "COMPENSATED", "PENDING"]);
    expect(await appIds()).toEqual(apps);
    expect(await leftovers(web)).toEqual(held);
  });
});

describe("refusals", () => {
  let source: Json; // image s2 in the origin marketplace
  let vmSource: Json;

  beforeAll(async () => {
    source = await publishReady(admin, { marketplaceId: origin.id, imageId: img.s2.id, name: "s2-app" });
    const vm = await createVmTemplate(
      admin,
      "guarded",
      `CPU = "1"\nMEMORY = "64"\nDISK = [ IMAGE_ID = "${img.s3.id}" ]\n`,
    );
    vmSource = await full(
      (await publishReady(admin, { marketplaceId: origin.id, vmTemplateId: vm.id, name: "guarded" })).id,
    );
  });

  const refused = async (
    client: ApiClient,
    id: number,
    body: Record<string, unknown>,
    status: number,
    fields?: string[],
  ) => {
    const apps = await appIds();
    const res = await client.post(`/api/v1/apps/${id}/copy`, body);
    expectProblem(res, status, fields);
    expect(await appIds()).toEqual(apps);
    return res.json as Json;
  };

  it("an app the user may not use does not exist for them (404); nor a part of it", async () => {
    expect((await admin.post(`/api/v1/apps/${source.id}/chmod`, { permissions: "600" })).status).toBe(204);
    await refused(p, source.id, { marketplaceId: bucket.id }, 404);
    expect((await admin.post(`/api/v1/apps/${source.id}/chmod`, { permissions: "644" })).status).toBe(204);
    const part = vmSource.children[0].app;
    expect((await admin.post(`/api/v1/apps/${part.id}/chmod`, { permissions: "600" })).status).toBe(204);
    try {
      const problem = await refused(p, vmSource.id, { marketplaceId: bucket.id }, 404);
      expect(problem.detail).toMatch(/^Part DISK 0 of guarded: /);
    } finally {
      expect((await admin.post(`/api/v1/apps/${part.id}/chmod`, { permissions: "644" })).status).toBe(204);
    }
  });

  it("a user without the create right for apps is forbidden (403)", async () => {
    await refused(d, source.id, { marketplaceId: bucket.id }, 403);
  });

  it("the target must be of this zone, enabled, writable and not the app's own marketplace", async () => {
    const remote = await db().zone.create({ data: { name: "remote-zone" } });
    const elsewhere = await admin.post("/api/v1/marketplaces", {
      name: "elsewhere",
      driver: "http",
      config: { publicDir: path.join(work, "elsewhere") },
    });
    expect(elsewhere.status, elsewhere.text).toBe(201);
    await db().marketplace.update({ where: { id: elsewhere.json.id }, data: { zoneId: remote.id } });
    await refused(admin, source.id, { marketplaceId: elsewhere.json.id }, 409, ["marketplaceId"]);

    expect((await admin.patch(`/api/v1/marketplaces/${web.id}`, { enabled: false })).status).toBe(200);
    try {
      await refused(admin, source.id, { marketplaceId: web.id }, 409, ["marketplaceId"]);
    } finally {
      expect((await admin.patch(`/api/v1/marketplaces/${web.id}`, { enabled: true })).status).toBe(200);
    }
    await refused(admin, source.id, { marketplaceId: origin.id }, 400, ["marketplaceId"]);
    await refused(admin, source.id, { marketplaceId: 999_999 }, 404);
  });

  it("only a READY app is copied", async () => {
    expect((await admin.patch(`/api/v1/apps/${source.id}`, { enabled: false })).json.state).toBe("DISABLED");
    try {
      await refused(admin, source.id, { marketplaceId: bucket.id }, 409);
    } finally {
      expect((await admin.patch(`/api/v1/apps/${source.id}`, { enabled: true })).json.state).toBe("READY");
    }
  });

  it("names: a clash of the copy's name names `name`, a part's names `marketplaceId` (409)", async () => {
    await publishReady(admin, { marketplaceId: bucket.id, imageId: img.s2.id, name: "taken" });
    await refused(admin, source.id, { marketplaceId: bucket.id, name: "taken" }, 409, ["name"]);
    const named = await refused(admin, vmSource.id, { marketplaceId: bucket.id, name: "guarded-s3" }, 409, ["name"]);
    expect(named.detail).toContain("part DISK 0 of guarded");
    await publishReady(admin, { marketplaceId: bucket.id, imageId: img.s3.id, name: "guarded-s3" });
    const part = await refused(admin, vmSource.id, { marketplaceId: bucket.id }, 409, ["marketplaceId"]);
    expect(part.detail).toContain(`"guarded-s3"`);
    await refused(admin, source.id, { marketplaceId: bucket.id, name: "a\u0000b" }, 400, ["name"]);
  });
});
