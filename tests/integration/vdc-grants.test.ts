import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { startWorker } from "@/lib/jobs/worker";
import { localZone } from "@/lib/zones/local-zone";
import * as uploads from "@/app/api/v1/uploads/route";
import * as upload from "@/app/api/v1/uploads/[id]/route";
import {
  ApiClient,
  BASE_URL,
  createGroup,
  createUser,
  expectProblem,
  groupIdOf,
  signIn,
  signInAdmin,
  type Json,
  type UserFixture,
} from "../helpers/api";
import { allowLoopbackUrls, apiDatastore, randomPayload, serveBytes, waitFor } from "../support/images";
import {
  createVmTemplate,
  digests,
  publishReady,
  rawRequest,
  settleApp,
  settleJob,
  urlImage,
} from "../support/markets";

/**
 * What a VDC grants, black-box through the API: members of its groups USE its datastores and
 * marketplaces (and the marketplaces' apps) with no chmod anywhere, never more than USE; other
 * users see none of it; "all of zone z" reaches what is created later; and every way a grant
 * ends (resource removed, group removed, VDC deleted, group deleted, resource deleted) ends
 * the access on the next request. Also the grants endpoints and the references DTOs make.
 */
let admin: ApiClient;
let adminId: number;
let zoneId: number;
let worker: ReturnType<typeof startWorker>;
let server: Awaited<ReturnType<typeof serveBytes>>;
const work = mkdtempSync(path.join(tmpdir(), "bazaar-vdc-grants-"));

// red and blue: one VDC each, with a datastore and a marketplace of their own
let red: number;
let blue: number;
let green: number; // its VDC grants every datastore and marketplace of this zone
let rita: UserFixture; // in red
let r: ApiClient;
let bill: UserFixture; // in blue
let b: ApiClient;
let gina: UserFixture; // in green
let g: ApiClient;
let olga: UserFixture; // in no VDC
let o: ApiClient;

let stock: Json; // admin's datastore, where the published images come from
let stockDisk: Json; // admin's image there
let dsRed: Json;
let dsBlue: Json;
let dsHidden: Json; // in no VDC (but green's zone-wide one)
let mRed: Json;
let mBlue: Json;
let mHidden: Json;
let appRed: Json;
let appBlue: Json;
let appHidden: Json;
let vdcRed: Json;
let vdcBlue: Json;
let vdcGreen: Json;
let redVm: Json; // a VM template app of m-red, and its part (both 600)
let redVmPart: number;

const disk = randomPayload(256 * 1024);
const ritasBytes = randomPayload(128 * 1024);
const uploadBytes = randomPayload(64 * 1024);

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  const session = (await admin.get("/api/v1/session")).json;
  adminId = session.user.id;
  zoneId = session.zone.id;
  mkdirSync(getConfig().uploadDir, { recursive: true });
  worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, concurrency: 4, log: () => {} });
  server = await serveBytes({ "/disk.raw": disk.data, "/ritas.raw": ritasBytes.data });

  // the default create rights, and publishing
  const rights = { createRights: ["IMAGE", "VM_TEMPLATE", "SERVICE_TEMPLATE", "MARKETPLACE_APP"] };
  red = await createGroup(admin, "red", rights);
  blue = await createGroup(admin, "blue", rights);
  green = await createGroup(admin, "green");
  rita = await createUser(admin, "rita", { primaryGroupId: red });
  bill = await createUser(admin, "bill", { primaryGroupId: blue });
  gina = await createUser(admin, "gina", { primaryGroupId: green });
  olga = await createUser(admin, "olga");
  [r, b, g, o] = await Promise.all([rita, bill, gina, olga].map((u) => signIn(u.username, u.password)));

  // everything is admin's and private (600): the admin's umask, and nobody chmods
  stock = await apiDatastore(admin, "stock");
  dsRed = await apiDatastore(admin, "ds-red");
  dsBlue = await apiDatastore(admin, "ds-blue");
  dsHidden = await apiDatastore(admin, "ds-hidden");
  for (const ds of [stock, dsRed, dsBlue, dsHidden]) expect(ds.permissions.octal).toBe("600");
  mRed = await privateMarket("m-red");
  mBlue = await privateMarket("m-blue");
  mHidden = await privateMarket("m-hidden");
  stockDisk = await urlImage(admin, { url: server.url("/disk.raw"), name: "stock-disk", datastoreId: stock.id });
  [appRed, appBlue, appHidden] = await Promise.all(
    [
      [mRed, "app-red"],
      [mBlue, "app-blue"],
      [mHidden, "app-hidden"],
    ].map(([m, name]) => privateApp(m as Json, name as string)),
  );

  vdcRed = await createVdc("vdc-red", [red], [ds(dsRed.id), mk(mRed.id)]);
  vdcBlue = await createVdc("vdc-blue", [blue], [ds(dsBlue.id), mk(mBlue.id)]);
  vdcGreen = await createVdc("vdc-green", [green], [ds(null), mk(null)]);
});

afterAll(async () => {
  await worker.stop();
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// helpers

const ds = (resourceId: number | null, zone?: number) => ({
  zoneId: zone ?? zoneId,
  resourceType: "DATASTORE",
  resourceId,
});
const mk = (resourceId: number | null, zone?: number) => ({
  zoneId: zone ?? zoneId,
  resourceType: "MARKETPLACE",
  resourceId,
});

async function createVdc(name: string, groupIds: number[], resources: Json[]): Promise<Json> {
  const res = await admin.post("/api/v1/vdcs", { name, groupIds, resources });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** An http marketplace of admin's, made private (600). */
async function privateMarket(name: string): Promise<Json> {
  const res = await admin.post("/api/v1/marketplaces", {
    name,
    driver: "http",
    config: { publicDir: path.join(work, name) },
  });
  expect(res.status, res.text).toBe(201);
  // the periodic monitor is not what these tests are about
  await db().marketplace.update({
    where: { id: res.json.id },
    data: { monitorDueAt: new Date(Date.now() + 3600_000) },
  });
  expect((await admin.post(`/api/v1/marketplaces/${res.json.id}/chmod`, { permissions: "600" })).status).toBe(204);
  return (await admin.get(`/api/v1/marketplaces/${res.json.id}`)).json;
}

/** admin's stock disk published to a marketplace, then made private (600). */
async function privateApp(market: Json, name: string): Promise<Json> {
  const app = await publishReady(admin, { marketplaceId: market.id, imageId: stockDisk.id, name });
  expect((await admin.post(`/api/v1/apps/${app.id}/chmod`, { permissions: "600" })).status).toBe(204);
  const now = (await admin.get(`/api/v1/apps/${app.id}`)).json;
  expect(now.permissions.octal).toBe("600");
  return now;
}

/** The ids a list endpoint gives the client (every page of up to 200). */
async function listed(client: ApiClient, what: string, query = ""): Promise<number[]> {
  const res = await client.get(`/api/v1/${what}?perPage=200${query}`);
  expect(res.status, res.text).toBe(200);
  expect(res.json.total).toBeLessThanOrEqual(200);
  return res.json.items.map((x: Json) => x.id as number);
}

async function settleImage(client: ApiClient, id: number): Promise<Json> {
  return waitFor(`image ${id} to settle`, async () => {
    const res = await client.get(`/api/v1/images/${id}`);
    expect(res.status, res.text).toBe(200);
    return ["READY", "ERROR"].includes(res.json.state) && res.json.job?.state !== "RUNNING" ? (res.json as Json) : null;
  });
}

function tus(
  client: ApiClient,
  method: "POST" | "PATCH",
  pathname: string,
  headers: Record<string, string>,
  body?: Buffer,
) {
  const h = new Headers({ "tus-resumable": "1.0.0", origin: BASE_URL, ...headers });
  if (client.sessionCookie) h.set("cookie", `bazaar_session=${client.sessionCookie}`);
  const req = new Request(new URL(pathname, BASE_URL), { method, headers: h, body, duplex: "half" } as RequestInit);
  return method === "POST" ? uploads.POST(req) : upload.PATCH(req);
}

/** Uploads bytes into a new image over tus and waits for it to be imported. */
async function uploadImage(client: ApiClient, datastoreId: number, name: string, data: Buffer): Promise<Json> {
  const created = await client.post("/api/v1/images", {
    source: "upload",
    name,
    datastoreId,
    size: data.length,
    type: "DATABLOCK",
  });
  expect(created.status, created.text).toBe(201);
  const meta = `imageId ${Buffer.from(String(created.json.id)).toString("base64")}`;
  const started = await tus(client, "POST", "/api/v1/uploads", {
    "upload-length": String(data.length),
    "upload-metadata": meta,
  });
  expect(started.status, await started.clone().text()).toBe(201);
  const location = started.headers.get("location")!;
  const sent = await tus(
    client,
    "PATCH",
    location,
    { "upload-offset": "0", "content-type": "application/offset+octet-stream" },
    data,
  );
  expect(sent.status, await sent.clone().text()).toBe(204);
  return settleImage(client, created.json.id);
}

/** What a user reaches of a datastore, a marketplace and an app, on the next requests. */
async function reach(client: ApiClient, w: { ds?: Json; market?: Json; app?: Json }) {
  const out: Record<string, unknown> = {};
  if (w.ds) {
    out.dsListed = (await listed(client, "datastores")).includes(w.ds.id);
    out.ds = (await client.get(`/api/v1/datastores/${w.ds.id}`)).status;
  }
  if (w.market) {
    out.marketListed = (await listed(client, "marketplaces")).includes(w.market.id);
    out.market = (await client.get(`/api/v1/marketplaces/${w.market.id}`)).status;
  }
  if (w.app) {
    out.appListed = (await listed(client, "apps")).includes(w.app.id);
    out.app = (await client.get(`/api/v1/apps/${w.app.id}`)).status;
    const dl = await rawRequest(client, `/api/v1/apps/${w.app.id}/download`);
    await dl.arrayBuffer();
    out.download = dl.status;
  }
  return out;
}

const GRANTED = { dsListed: true, ds: 200, marketListed: true, market: 200, appListed: true, app: 200, download: 200 };
const NOTHING = {
  dsListed: false,
  ds: 404,
  marketListed: false,
  market: 404,
  appListed: false,
  app: 404,
  download: 404,
};

/** Neither an image nor an app import can go into a datastore the user may not use. */
async function expectCannotUse(client: ApiClient, w: { ds: Json; app?: Json }, name: string) {
  expectProblem(
    await client.post("/api/v1/images", {
      source: "upload",
      name,
      datastoreId: w.ds.id,
      size: 10,
      type: "DATABLOCK",
    }),
    404,
  );
  if (w.app) expectProblem(await client.post(`/api/v1/apps/${w.app.id}/import`, { datastoreId: w.ds.id, name }), 404);
  expect(await db().image.count({ where: { name } })).toBe(0);
}

// ---------------------------------------------------------------------------------------------

describe("a VDC grants USE on its datastores", () => {
  it("a member sees the VDC's datastore (600, admin's) in the list and opens it; nothing else", async () => {
    const mine = await listed(r, "datastores");
    expect(mine).toEqual([dsRed.id]);
    const got = await r.get(`/api/v1/datastores/${dsRed.id}`);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toMatchObject({
      id: dsRed.id,
      name: "ds-red",
      owner: { id: adminId },
      permissions: { octal: "600" },
    });
    for (const other of [dsBlue, dsHidden, stock]) expectProblem(await r.get(`/api/v1/datastores/${other.id}`), 404);
    // a filter or a search does not find the others either
    expect(await listed(r, "datastores", "&q=ds-")).toEqual([dsRed.id]);
    expect(await listed(b, "datastores")).toEqual([dsBlue.id]);
    expect(await listed(o, "datastores")).toEqual([]);
    // nobody chmodded: the datastores are as they were made
    for (const d of [dsRed, dsBlue, dsHidden])
      expect((await admin.get(`/api/v1/datastores/${d.id}`)).json.permissions.octal).toBe("600");
  });

  it("USE is all it grants: update, enable and delete are 403", async () => {
    expectProblem(await r.patch(`/api/v1/datastores/${dsRed.id}`, { description: "mine now" }), 403);
    expectProblem(await r.patch(`/api/v1/datastores/${dsRed.id}`, { enabled: false }), 403);
    expectProblem(await r.delete(`/api/v1/datastores/${dsRed.id}`), 403);
    const after = (await admin.get(`/api/v1/datastores/${dsRed.id}`)).json;
    expect(after).toMatchObject({
      description: "",
      enabled: true,
      owner: { id: adminId },
      permissions: { octal: "600" },
    });
    // and a datastore the VDC does not grant does not exist for them
    expectProblem(await r.patch(`/api/v1/datastores/${dsBlue.id}`, { description: "x" }), 404);
    expectProblem(await r.delete(`/api/v1/datastores/${dsBlue.id}`), 404);
  });

  it("chmod and chown of a granted datastore are 403, as for any datastore the user may see", async () => {
    expectProblem(await r.post(`/api/v1/datastores/${dsRed.id}/chmod`, { permissions: "666" }), 403);
    expectProblem(await r.post(`/api/v1/datastores/${dsRed.id}/chown`, { ownerId: rita.id }), 403);
    expectProblem(await r.post(`/api/v1/datastores/${dsRed.id}/chown`, { groupId: red }), 403);
    expect((await admin.get(`/api/v1/datastores/${dsRed.id}`)).json).toMatchObject({
      owner: { id: adminId },
      permissions: { octal: "600" },
    });
    // one the VDC does not grant does not exist for them
    expectProblem(await r.post(`/api/v1/datastores/${dsBlue.id}/chmod`, { permissions: "666" }), 404);
  });

  it("a member imports an image from a URL into it; it is theirs (600), and the datastore is named", async () => {
    const img = await urlImage(r, { url: server.url("/ritas.raw"), name: "ritas-url", datastoreId: dsRed.id });
    expect(img).toMatchObject({
      state: "READY",
      sha256: ritasBytes.sha256,
      owner: { id: rita.id },
      permissions: { octal: "600" },
      datastore: { id: dsRed.id, name: "ds-red" },
    });
    expect((await r.get("/api/v1/images?perPage=200")).json.items.map((i: Json) => i.name)).toContain("ritas-url");
    // bill sees none of it
    expectProblem(await b.get(`/api/v1/images/${img.id}`), 404);
    expect(await listed(b, "images")).not.toContain(img.id);
    expectProblem(await b.get(`/api/v1/images/${img.id}/download`), 404);
  });

  it("a member uploads an image into it", async () => {
    const img = await uploadImage(r, dsRed.id, "ritas-upload", uploadBytes.data);
    expect(img, img.error).toMatchObject({
      state: "READY",
      sha256: uploadBytes.sha256,
      sizeBytes: uploadBytes.data.length,
      owner: { id: rita.id },
      permissions: { octal: "600" },
      datastore: { id: dsRed.id, name: "ds-red" },
    });
    expectProblem(await b.get(`/api/v1/images/${img.id}`), 404);
    expect(await listed(b, "images")).not.toContain(img.id);
  });

  it("a member imports an app into it; a user of another VDC can use neither the datastore nor the app", async () => {
    const res = await r.post(`/api/v1/apps/${appRed.id}/import`, { datastoreId: dsRed.id, name: "red-from-app" });
    expect(res.status, res.text).toBe(201);
    const job = await settleJob(r, res.json.jobId);
    expect(job.state, job.error).toBe("SUCCEEDED");
    const img = await settleImage(r, res.json.created[0].id);
    expect(img).toMatchObject({
      state: "READY",
      sha256: disk.sha256,
      fromAppId: appRed.id,
      owner: { id: rita.id },
      permissions: { octal: "600" },
      datastore: { id: dsRed.id, name: "ds-red" },
    });
    expectProblem(await b.get(`/api/v1/images/${img.id}`), 404);
    expect(await listed(b, "images")).not.toContain(img.id);
    // the preview says the same
    const preview = await r.post(`/api/v1/apps/${appRed.id}/import-preview`, { datastoreId: dsRed.id, name: "again" });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.datastore).toEqual({ id: dsRed.id, name: "ds-red" });
    expectProblem(await b.post(`/api/v1/apps/${appRed.id}/import-preview`, { datastoreId: dsBlue.id, name: "x" }), 404);
    expectProblem(await b.post(`/api/v1/apps/${appBlue.id}/import-preview`, { datastoreId: dsRed.id, name: "x" }), 404);
    // bill: not red's datastore, not red's app, not even into his own datastore
    await expectCannotUse(b, { ds: dsRed, app: appRed }, "bills-try");
    expectProblem(await b.post(`/api/v1/apps/${appRed.id}/import`, { datastoreId: dsBlue.id, name: "bills-try" }), 404);
    // rita: not into blue's datastore, not blue's app
    await expectCannotUse(r, { ds: dsBlue, app: appBlue }, "ritas-try");
    await expectCannotUse(r, { ds: dsHidden }, "ritas-try");
    expectProblem(await r.post(`/api/v1/apps/${appBlue.id}/import`, { datastoreId: dsRed.id, name: "ritas-try" }), 404);
  });

  it("a user in no VDC gets nothing", async () => {
    expect(await reach(o, { ds: dsRed, market: mRed, app: appRed })).toEqual(NOTHING);
    await expectCannotUse(o, { ds: dsRed, app: appRed }, "olgas-try");
    expect(await listed(o, "marketplaces")).toEqual([]);
    expect(await listed(o, "apps")).toEqual([]);
  });
});

describe("all datastores of a zone", () => {
  it("grants every datastore of the zone, one created later too", async () => {
    const all = await db().datastore.findMany({ where: { zoneId }, select: { id: true } });
    expect((await listed(g, "datastores")).sort()).toEqual(all.map((d) => d.id).sort());
    for (const d of [stock, dsRed, dsBlue, dsHidden])
      expect((await g.get(`/api/v1/datastores/${d.id}`)).status).toBe(200);

    const later = await apiDatastore(admin, "ds-later");
    expect(later.permissions.octal).toBe("600");
    expect(await listed(g, "datastores")).toContain(later.id);
    expect((await g.get(`/api/v1/datastores/${later.id}`)).status).toBe(200);
    const img = await urlImage(g, { url: server.url("/ritas.raw"), name: "ginas-later", datastoreId: later.id });
    expect(img).toMatchObject({
      state: "READY",
      owner: { id: gina.id },
      datastore: { id: later.id, name: "ds-later" },
    });
    // still USE only
    expectProblem(await g.patch(`/api/v1/datastores/${later.id}`, { description: "x" }), 403);
    expectProblem(await g.delete(`/api/v1/datastores/${later.id}`), 403);
    // and nobody else got it
    for (const client of [r, b, o]) expect(await listed(client, "datastores")).not.toContain(later.id);
    expectProblem(await r.get(`/api/v1/images/${img.id}`), 404);
  });

  it("all datastores of another zone grant none of this one", async () => {
    const remote = await db().zone.create({ data: { name: "ds-remote-zone" } });
    const zed = await createGroup(admin, "zed");
    const zoe = await createUser(admin, "zoe", { primaryGroupId: zed });
    const z = await signIn("zoe", zoe.password);
    const vdc = await createVdc("vdc-remote-ds", [zed], [ds(null, remote.id)]);
    expect(await listed(z, "datastores")).toEqual([]);
    expectProblem(await z.get(`/api/v1/datastores/${dsRed.id}`), 404);
    await expectCannotUse(z, { ds: dsRed }, "zoes-try");
    expect((await admin.delete(`/api/v1/vdcs/${vdc.id}`)).status).toBe(204);
  });
});

describe("a VDC grants USE on its marketplaces and their apps", () => {
  it("a member sees the marketplace and its private apps: lists, catalog, get, facets", async () => {
    expect(await listed(r, "marketplaces")).toEqual([mRed.id]);
    const got = await r.get(`/api/v1/marketplaces/${mRed.id}`);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toMatchObject({
      id: mRed.id,
      name: "m-red",
      owner: { id: adminId },
      permissions: { octal: "600" },
    });
    for (const m of [mBlue, mHidden]) expectProblem(await r.get(`/api/v1/marketplaces/${m.id}`), 404);

    expect(await listed(r, "apps")).toEqual([appRed.id]);
    expect(await listed(r, "apps", `&marketplaceId=${mRed.id}`)).toEqual([appRed.id]);
    expect(await listed(r, "apps", `&marketplaceId=${mBlue.id}`)).toEqual([]);
    const app = await r.get(`/api/v1/apps/${appRed.id}`);
    expect(app.status, app.text).toBe(200);
    expect(app.json).toMatchObject({
      id: appRed.id,
      state: "READY",
      owner: { id: adminId },
      permissions: { octal: "600" },
      marketplace: { id: mRed.id, name: "m-red" },
    });
    for (const a of [appBlue, appHidden]) expectProblem(await r.get(`/api/v1/apps/${a.id}`), 404);
    expect((await r.get("/api/v1/apps/facets")).status).toBe(200);

    expect(await listed(b, "marketplaces")).toEqual([mBlue.id]);
    expect(await listed(b, "apps")).toEqual([appBlue.id]);
    expect(await reach(b, { market: mRed, app: appRed })).toEqual({
      marketListed: false,
      market: 404,
      appListed: false,
      app: 404,
      download: 404,
    });
  });

  it("a member downloads an app of the marketplace; others get 404", async () => {
    const res = await rawRequest(r, `/api/v1/apps/${appRed.id}/download`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(digests(bytes).sha256).toBe(disk.sha256);
    for (const client of [b, o]) {
      const refused = await rawRequest(client, `/api/v1/apps/${appRed.id}/download`);
      expect(refused.status).toBe(404);
      await refused.arrayBuffer();
    }
  });

  it("USE only: the marketplace and its apps cannot be changed, deleted, monitored or locked (403)", async () => {
    expectProblem(await r.patch(`/api/v1/marketplaces/${mRed.id}`, { description: "x" }), 403);
    expectProblem(await r.delete(`/api/v1/marketplaces/${mRed.id}`), 403);
    expectProblem(await r.post(`/api/v1/marketplaces/${mRed.id}/monitor`), 403);
    expectProblem(await r.patch(`/api/v1/apps/${appRed.id}`, { description: "x" }), 403);
    expectProblem(await r.delete(`/api/v1/apps/${appRed.id}`), 403);
    expectProblem(await r.post(`/api/v1/apps/${appRed.id}/lock`, { level: "USE" }), 403);
    expect((await admin.get(`/api/v1/marketplaces/${mRed.id}`)).json).toMatchObject({ description: "" });
    expect((await admin.get(`/api/v1/apps/${appRed.id}`)).json).toMatchObject({
      description: "",
      lockLevel: null,
      permissions: { octal: "600" },
    });
  });

  it("chmod and chown of a granted marketplace or app are 403, as for any object the user may see", async () => {
    expectProblem(await r.post(`/api/v1/marketplaces/${mRed.id}/chmod`, { permissions: "644" }), 403);
    expectProblem(await r.post(`/api/v1/marketplaces/${mRed.id}/chown`, { ownerId: rita.id }), 403);
    expectProblem(await r.post(`/api/v1/apps/${appRed.id}/chmod`, { permissions: "644" }), 403);
    expectProblem(await r.post(`/api/v1/apps/${appRed.id}/chown`, { groupId: red }), 403);
    expect((await admin.get(`/api/v1/marketplaces/${mRed.id}`)).json.permissions.octal).toBe("600");
    expect((await admin.get(`/api/v1/apps/${appRed.id}`)).json).toMatchObject({
      owner: { id: adminId },
      permissions: { octal: "600" },
    });
  });

  it("a member publishes into the marketplace; the app's marketplace is named only to those it is granted to", async () => {
    const img = await urlImage(r, { url: server.url("/ritas.raw"), name: "ritas-to-publish", datastoreId: dsRed.id });
    const app = await publishReady(r, { marketplaceId: mRed.id, imageId: img.id, name: "ritas-app" });
    expect(app).toMatchObject({ owner: { id: rita.id }, marketplace: { id: mRed.id, name: "m-red" } });
    // readable by everyone, the app is seen; its marketplace stays hidden from those it is not granted to
    expect((await r.post(`/api/v1/apps/${app.id}/chmod`, { permissions: "644" })).status).toBe(204);
    const seen = await b.get(`/api/v1/apps/${app.id}`);
    expect(seen.status, seen.text).toBe(200);
    expect(seen.json.marketplace).toEqual({ id: mRed.id });
    expect((await g.get(`/api/v1/apps/${app.id}`)).json.marketplace).toMatchObject({ id: mRed.id, name: "m-red" });
    // made private, bill loses it, red keeps it through the VDC
    expect((await r.post(`/api/v1/apps/${app.id}/chmod`, { permissions: "600" })).status).toBe(204);
    expectProblem(await b.get(`/api/v1/apps/${app.id}`), 404);
    expect(await listed(b, "apps")).not.toContain(app.id);
    // bill may not publish into red's marketplace
    const billsImg = await urlImage(b, { url: server.url("/ritas.raw"), name: "bills-img", datastoreId: dsBlue.id });
    expectProblem(await b.post("/api/v1/apps", { marketplaceId: mRed.id, imageId: billsImg.id, name: "bills" }), 404);
    expect((await r.delete(`/api/v1/apps/${app.id}`)).status).toBe(204);
  });

  it("a member imports a private VM template app with private parts, and sees the parts", async () => {
    const vm = await createVmTemplate(
      admin,
      "red-vm",
      `CPU = "1"\nMEMORY = "128"\nDISK = [ IMAGE_ID = "${stockDisk.id}" ]\n`,
    );
    const started = await admin.post("/api/v1/apps", { marketplaceId: mRed.id, vmTemplateId: vm.id, name: "red-vm" });
    expect(started.status, started.text).toBe(201);
    const settled = await settleApp(admin, started.json.id);
    expect(settled.state, settled.error).toBe("READY");
    const parent = (await admin.get(`/api/v1/apps/${settled.id}`)).json;
    const partIds: number[] = parent.children.map((c: Json) => c.app.id);
    expect(partIds).toHaveLength(1);
    [redVm, redVmPart] = [parent, partIds[0]];
    for (const id of [parent.id, ...partIds])
      expect((await admin.post(`/api/v1/apps/${id}/chmod`, { permissions: "600" })).status).toBe(204);

    const seen = await r.get(`/api/v1/apps/${parent.id}`);
    expect(seen.status, seen.text).toBe(200);
    expect(seen.json.children).toEqual([
      expect.objectContaining({ app: expect.objectContaining({ id: partIds[0], name: expect.any(String) }) }),
    ]);
    expect(seen.json.children[0].app.marketplace).toMatchObject({ id: mRed.id, name: "m-red" });
    const part = await r.get(`/api/v1/apps/${partIds[0]}`);
    expect(part.status).toBe(200);
    expect(part.json.parents).toEqual([expect.objectContaining({ id: parent.id, name: "red-vm" })]);

    const res = await r.post(`/api/v1/apps/${parent.id}/import`, { datastoreId: dsRed.id, name: "ritas-vm" });
    expect(res.status, res.text).toBe(201);
    const job = await settleJob(r, res.json.jobId);
    expect(job.state, job.error).toBe("SUCCEEDED");
    const vts = (await r.get("/api/v1/vm-templates?perPage=200")).json.items.map((t: Json) => t.name);
    expect(vts).toContain("ritas-vm");
    for (const created of res.json.created) {
      const img = await settleImage(r, created.id);
      expect(img).toMatchObject({ state: "READY", owner: { id: rita.id }, datastore: { id: dsRed.id } });
    }

    for (const client of [b, o]) {
      expectProblem(await client.get(`/api/v1/apps/${parent.id}`), 404);
      expectProblem(await client.get(`/api/v1/apps/${partIds[0]}`), 404);
    }
  });

  it("through all marketplaces of the zone, a composite app's parts and parents are named too", async () => {
    const seen = await g.get(`/api/v1/apps/${redVm.id}`);
    expect(seen.status, seen.text).toBe(200);
    expect(seen.json.marketplace).toMatchObject({ id: mRed.id, name: "m-red" });
    expect(seen.json.children).toEqual([
      expect.objectContaining({ app: expect.objectContaining({ id: redVmPart, name: expect.any(String) }) }),
    ]);
    const part = await g.get(`/api/v1/apps/${redVmPart}`);
    expect(part.status, part.text).toBe(200);
    // the parent is an app gina may open (GET above): its reference names it
    expect(part.json.parents).toEqual([expect.objectContaining({ id: redVm.id, name: "red-vm" })]);
  });

  it("all marketplaces of a zone: every one of this zone, one created later too, with their apps", async () => {
    const local = (await admin.get(`/api/v1/marketplaces?perPage=200&zoneId=${zoneId}`)).json.items.map(
      (m: Json) => m.id,
    );
    expect((await listed(g, "marketplaces")).sort()).toEqual([...local].sort());
    for (const a of [appRed, appBlue, appHidden]) expect((await g.get(`/api/v1/apps/${a.id}`)).status).toBe(200);
    expect(await listed(g, "apps")).toEqual(expect.arrayContaining([appRed.id, appBlue.id, appHidden.id]));

    const later = await privateMarket("m-later");
    const laterApp = await privateApp(later, "app-later");
    expect(await reach(g, { market: later, app: laterApp })).toEqual({
      marketListed: true,
      market: 200,
      appListed: true,
      app: 200,
      download: 200,
    });
    const res = await g.post(`/api/v1/apps/${laterApp.id}/import`, { datastoreId: dsHidden.id, name: "ginas-app" });
    expect(res.status, res.text).toBe(201);
    expect((await settleJob(g, res.json.jobId)).state).toBe("SUCCEEDED");
    for (const client of [r, b, o])
      expect(await reach(client, { market: later, app: laterApp })).toEqual({
        marketListed: false,
        market: 404,
        appListed: false,
        app: 404,
        download: 404,
      });
  });

  it("all marketplaces of another zone: its marketplaces and apps, none of this zone's", async () => {
    const remote = await db().zone.create({ data: { name: "mk-remote-zone" } });
    const adminsGroup = await groupIdOf(admin, "admins");
    const far = await db().marketplace.create({
      data: {
        name: "far-market",
        zoneId: remote.id,
        driver: "http",
        config: JSON.stringify({ publicDir: "/srv/far-away", baseUrl: "https://far.example.com/apps" }),
        ownerId: adminId,
        groupId: adminsGroup,
        ...{ ownerRights: 6, groupRights: 0, otherRights: 0 },
        monitorDueAt: new Date(Date.now() + 3600_000),
      },
    });
    const farApp = await db().marketplaceApp.create({
      data: {
        name: "far-app",
        marketplaceId: far.id,
        zoneId: remote.id,
        state: "READY",
        format: "raw",
        storageKey: "app-1-000000000000",
        source: "https://far.example.com/apps/app-1-000000000000",
        ownerId: adminId,
        groupId: adminsGroup,
        ...{ ownerRights: 6, groupRights: 0, otherRights: 0 },
      },
    });
    const yan = await createGroup(admin, "yan");
    const yuri = await createUser(admin, "yuri", { primaryGroupId: yan });
    const y = await signIn("yuri", yuri.password);
    const vdc = await createVdc("vdc-remote-mk", [yan], [mk(null, remote.id)]);
    expect(await listed(y, "marketplaces")).toEqual([far.id]);
    expect(await listed(y, "apps")).toEqual([farApp.id]);
    expect((await y.get(`/api/v1/apps/${farApp.id}`)).json.marketplace).toMatchObject({
      id: far.id,
      name: "far-market",
    });
    expectProblem(await y.get(`/api/v1/marketplaces/${mRed.id}`), 404);
    expectProblem(await y.get(`/api/v1/apps/${appRed.id}`), 404);
    // red, blue and green do not get the far zone's
    for (const client of [r, b, g]) {
      expectProblem(await client.get(`/api/v1/marketplaces/${far.id}`), 404);
      expectProblem(await client.get(`/api/v1/apps/${farApp.id}`), 404);
    }
    // the grants of an app of another zone's marketplace: the marketplace's zone-wide VDC
    const item = { vdc: { id: vdc.id, name: "vdc-remote-mk" }, allOfZone: true, groups: [{ id: yan, name: "yan" }] };
    expect((await y.get(`/api/v1/apps/${farApp.id}/grants`)).json).toEqual({ items: [item] });
    expect((await admin.get(`/api/v1/apps/${farApp.id}/grants`)).json).toEqual({ items: [item] });
    expect((await admin.get(`/api/v1/marketplaces/${far.id}/grants`)).json).toEqual({ items: [item] });
    expect((await admin.delete(`/api/v1/vdcs/${vdc.id}`)).status).toBe(204);
    expectProblem(await y.get(`/api/v1/marketplaces/${far.id}`), 404);
  });
});

describe("references", () => {
  it("an image's datastore is named to those the datastore is granted to, its id alone to others", async () => {
    const img = (await r.get("/api/v1/images?perPage=200")).json.items.find((i: Json) => i.name === "ritas-url");
    expect(img.datastore).toEqual({ id: dsRed.id, name: "ds-red" });
    expect((await r.get(`/api/v1/images/${img.id}`)).json.datastore).toEqual({ id: dsRed.id, name: "ds-red" });
    expect((await r.post(`/api/v1/images/${img.id}/chmod`, { permissions: "604" })).status).toBe(204);
    try {
      // bill and olga may see the image now, not its datastore; gina has the whole zone
      for (const client of [b, o])
        expect((await client.get(`/api/v1/images/${img.id}`)).json.datastore).toEqual({ id: dsRed.id });
      expect((await g.get(`/api/v1/images/${img.id}`)).json.datastore).toEqual({ id: dsRed.id, name: "ds-red" });
    } finally {
      expect((await r.post(`/api/v1/images/${img.id}/chmod`, { permissions: "600" })).status).toBe(204);
    }
  });

  it("an app's marketplace is named to members, its id alone to others", async () => {
    expect((await r.get(`/api/v1/apps/${appRed.id}`)).json.marketplace).toMatchObject({ id: mRed.id, name: "m-red" });
    expect((await admin.post(`/api/v1/apps/${appRed.id}/chmod`, { permissions: "604" })).status).toBe(204);
    try {
      const seen = await b.get(`/api/v1/apps/${appRed.id}`);
      expect(seen.status).toBe(200);
      expect(seen.json.marketplace).toEqual({ id: mRed.id });
      const inList = (await b.get("/api/v1/apps?perPage=200")).json.items.find((a: Json) => a.id === appRed.id);
      expect(inList.marketplace).toEqual({ id: mRed.id });
      expect((await r.get(`/api/v1/apps/${appRed.id}`)).json.marketplace).toMatchObject({ name: "m-red" });
    } finally {
      expect((await admin.post(`/api/v1/apps/${appRed.id}/chmod`, { permissions: "600" })).status).toBe(204);
    }
  });
});

describe("the grants endpoints", () => {
  const redItem = () => ({
    vdc: { id: vdcRed.id, name: "vdc-red" },
    allOfZone: false,
    groups: [{ id: red, name: "red" }],
  });
  const greenItem = () => ({
    vdc: { id: vdcGreen.id, name: "vdc-green" },
    allOfZone: true,
    groups: [{ id: green, name: "green" }],
  });

  it("admins see every granting VDC; members those of their groups; others 404", async () => {
    for (const path of [
      `/api/v1/datastores/${dsRed.id}`,
      `/api/v1/marketplaces/${mRed.id}`,
      `/api/v1/apps/${appRed.id}`,
    ]) {
      const all = await admin.get(`${path}/grants`);
      expect(all.status, `${path}: ${all.text}`).toBe(200);
      expect(all.json).toEqual({ items: [redItem(), greenItem()] });
      expect((await r.get(`${path}/grants`)).json, path).toEqual({ items: [redItem()] });
      expect((await g.get(`${path}/grants`)).json, path).toEqual({ items: [greenItem()] });
      for (const client of [b, o]) expectProblem(await client.get(`${path}/grants`), 404);
    }
    expect((await admin.get(`/api/v1/datastores/${dsBlue.id}/grants`)).json).toEqual({
      items: [
        { vdc: { id: vdcBlue.id, name: "vdc-blue" }, allOfZone: false, groups: [{ id: blue, name: "blue" }] },
        greenItem(),
      ],
    });
    // granted to nobody by name: only the zone-wide VDC
    expect((await admin.get(`/api/v1/datastores/${stock.id}/grants`)).json).toEqual({ items: [greenItem()] });
    for (const what of ["datastores", "marketplaces", "apps"])
      expectProblem(await admin.get(`/api/v1/${what}/987654/grants`), 404);
  });

  it("a user who sees the object through its bits, with no VDC of theirs granting it, gets an empty list", async () => {
    const open = await apiDatastore(admin, "ds-open");
    expect((await admin.post(`/api/v1/datastores/${open.id}/chmod`, { permissions: "604" })).status).toBe(204);
    for (const client of [r, b, o])
      expect((await client.get(`/api/v1/datastores/${open.id}/grants`)).json).toEqual({ items: [] });
    expect((await g.get(`/api/v1/datastores/${open.id}/grants`)).json).toEqual({ items: [greenItem()] });
    // a VDC with two groups lists both, to a member of either
    const both = await createVdc("vdc-both", [red, blue], [ds(open.id)]);
    const item = {
      vdc: { id: both.id, name: "vdc-both" },
      allOfZone: false,
      groups: [
        { id: red, name: "red" },
        { id: blue, name: "blue" },
      ].sort((x, y) => x.id - y.id),
    };
    expect((await r.get(`/api/v1/datastores/${open.id}/grants`)).json).toEqual({ items: [item] });
    expect((await b.get(`/api/v1/datastores/${open.id}/grants`)).json).toEqual({ items: [item] });
    expect((await o.get(`/api/v1/datastores/${open.id}/grants`)).json).toEqual({ items: [] });
    expect((await admin.delete(`/api/v1/vdcs/${both.id}`)).status).toBe(204);
  });
});

// ---------------------------------------------------------------------------------------------

interface World {
  tag: string;
  group: number;
  user: UserFixture;
  client: ApiClient;
  ds: Json;
  market: Json;
  app: Json;
  vdc: Json;
}

/**
 * A VDC of its own for a test that ends a grant: a group (the user's second one, so that the
 * user can leave it), a private datastore, a private marketplace with a private app.
 */
async function world(tag: string): Promise<World> {
  const group = await createGroup(admin, `g-${tag}`);
  const user = await createUser(admin, `u-${tag}`, { groupIds: [group] });
  const client = await signIn(user.username, user.password);
  const dsRow = await apiDatastore(admin, `ds-${tag}`);
  const market = await privateMarket(`m-${tag}`);
  const app = await privateApp(market, `app-${tag}`);
  const vdc = await createVdc(`vdc-${tag}`, [group], [ds(dsRow.id), mk(market.id)]);
  const w = { tag, group, user, client, ds: dsRow, market, app, vdc };
  expect(await reach(client, w)).toEqual(GRANTED);
  return w;
}

describe("grants end", () => {
  it("removing a resource from the VDC (PATCH) removes its use on the next request", async () => {
    const w = await world("patch-res");
    const kept = await admin.patch(`/api/v1/vdcs/${w.vdc.id}`, { resources: [mk(w.market.id)] });
    expect(kept.status, kept.text).toBe(200);
    expect(await reach(w.client, w)).toEqual({ ...GRANTED, dsListed: false, ds: 404 });
    await expectCannotUse(w.client, { ds: w.ds }, `${w.tag}-img`);
    expect((await admin.patch(`/api/v1/vdcs/${w.vdc.id}`, { resources: [ds(w.ds.id)] })).status).toBe(200);
    expect(await reach(w.client, w)).toEqual({ ...NOTHING, dsListed: true, ds: 200 });
    expectProblem(await w.client.post(`/api/v1/apps/${w.app.id}/import`, { datastoreId: w.ds.id, name: "late" }), 404);
    expect((await admin.patch(`/api/v1/vdcs/${w.vdc.id}`, { resources: [] })).status).toBe(200);
    expect(await reach(w.client, w)).toEqual(NOTHING);
  });

  it("removing the group from the VDC removes everything", async () => {
    const w = await world("patch-groups");
    expect((await admin.patch(`/api/v1/vdcs/${w.vdc.id}`, { groupIds: [] })).status).toBe(200);
    expect(await reach(w.client, w)).toEqual(NOTHING);
    await expectCannotUse(w.client, w, `${w.tag}-img`);
    expectProblem(await w.client.get(`/api/v1/vdcs/${w.vdc.id}`), 404);
    // and giving it back gives it back
    expect((await admin.patch(`/api/v1/vdcs/${w.vdc.id}`, { groupIds: [w.group] })).status).toBe(200);
    expect(await reach(w.client, w)).toEqual(GRANTED);
  });

  it("deleting the VDC removes everything", async () => {
    const w = await world("delete-vdc");
    expect((await admin.delete(`/api/v1/vdcs/${w.vdc.id}`)).status).toBe(204);
    expect(await reach(w.client, w)).toEqual(NOTHING);
    await expectCannotUse(w.client, w, `${w.tag}-img`);
    expect(await db().vdcResource.count({ where: { vdcId: w.vdc.id } })).toBe(0);
  });

  it("leaving the group, then deleting it: no access, and the VDC no longer lists the group", async () => {
    const w = await world("delete-group");
    const left = await admin.delete(`/api/v1/groups/${w.group}/members/${w.user.id}`);
    expect(left.status, left.text).toBe(200);
    expect(await reach(w.client, w)).toEqual(NOTHING);
    expect((await admin.delete(`/api/v1/groups/${w.group}`)).status).toBe(204);
    const vdc = await admin.get(`/api/v1/vdcs/${w.vdc.id}`);
    expect(vdc.status, vdc.text).toBe(200);
    expect(vdc.json.groups).toEqual([]);
    expect((await admin.get(`/api/v1/datastores/${w.ds.id}/grants`)).json.items).toContainEqual({
      vdc: { id: w.vdc.id, name: `vdc-${w.tag}` },
      allOfZone: false,
      groups: [],
    });
    // a group made now is not the deleted one: its members get nothing
    const fresh = await createGroup(admin, `g-${w.tag}-2`);
    expect((await admin.post(`/api/v1/groups/${fresh}/members`, { userId: w.user.id })).status).toBe(200);
    expect(await reach(w.client, w)).toEqual(NOTHING);
  });

  it("deleting the datastore takes it out of the VDC; the VDC still answers, and a new datastore is not granted", async () => {
    const w = await world("delete-ds");
    expect((await admin.delete(`/api/v1/datastores/${w.ds.id}`)).status).toBe(204);
    for (const client of [admin, w.client]) {
      const vdc = await client.get(`/api/v1/vdcs/${w.vdc.id}`);
      expect(vdc.status, vdc.text).toBe(200);
      expect(vdc.json.resources).toEqual([
        {
          zoneId,
          zoneName: "default",
          resourceType: "MARKETPLACE",
          resourceId: w.market.id,
          resourceName: `m-${w.tag}`,
        },
      ]);
      const list = await client.get("/api/v1/vdcs?perPage=200");
      expect(list.status, list.text).toBe(200);
    }
    expect(await reach(w.client, w)).toEqual({ ...GRANTED, dsListed: false, ds: 404 });
    expect(await db().vdcResource.count({ where: { resourceType: "DATASTORE", resourceId: w.ds.id } })).toBe(0);
    // the zone-wide grant of green stays
    expect((await admin.get(`/api/v1/vdcs/${vdcGreen.id}`)).json.resources).toEqual(vdcGreen.resources);
    const next = await apiDatastore(admin, `ds-${w.tag}-next`);
    expect(await listed(w.client, "datastores")).not.toContain(next.id);
    expectProblem(await w.client.get(`/api/v1/datastores/${next.id}`), 404);
  });

  it("deleting the marketplace takes it out of the VDC; its apps go with it", async () => {
    const w = await world("delete-mk");
    const deleted = await admin.delete(`/api/v1/marketplaces/${w.market.id}?deleteApps=true`);
    expect(deleted.status, deleted.text).toBe(204);
    for (const client of [admin, w.client]) {
      const vdc = await client.get(`/api/v1/vdcs/${w.vdc.id}`);
      expect(vdc.status, vdc.text).toBe(200);
      expect(vdc.json.resources).toEqual([
        { zoneId, zoneName: "default", resourceType: "DATASTORE", resourceId: w.ds.id, resourceName: `ds-${w.tag}` },
      ]);
    }
    expect(await reach(w.client, w)).toEqual({ ...NOTHING, dsListed: true, ds: 200 });
    expect(await db().vdcResource.count({ where: { resourceType: "MARKETPLACE", resourceId: w.market.id } })).toBe(0);
    expect((await admin.get(`/api/v1/vdcs/${vdcGreen.id}`)).json.resources).toEqual(vdcGreen.resources);
    const next = await privateMarket(`m-${w.tag}-next`);
    expect(await listed(w.client, "marketplaces")).not.toContain(next.id);
  });

  it("a grant ends for an API token's requests too", async () => {
    const w = await world("token");
    const token = await w.client.post("/api/v1/tokens", { name: "t", expiresInDays: 1 });
    expect(token.status, token.text).toBe(201);
    const t = new ApiClient({ bearer: token.json.token });
    expect((await t.get(`/api/v1/datastores/${w.ds.id}`)).status).toBe(200);
    expect((await admin.delete(`/api/v1/vdcs/${w.vdc.id}`)).status).toBe(204);
    expect((await t.get(`/api/v1/datastores/${w.ds.id}`)).status).toBe(404);
    expect((await t.get(`/api/v1/apps/${w.app.id}`)).status).toBe(404);
  });
});
