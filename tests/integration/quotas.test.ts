import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import * as uploads from "@/app/api/v1/uploads/route";
import * as upload from "@/app/api/v1/uploads/[id]/route";
import {
  ApiClient,
  BASE_URL,
  createGroup,
  createUser,
  expectProblem,
  signIn,
  signInAdmin,
  type ApiResponse,
  type Json,
} from "../helpers/api";
import { allowLoopbackUrls, apiDatastore, randomPayload, serveBytes, waitFor, withWorker } from "../support/images";
import { createVmTemplate, MiB, publishReady, settleJob, urlImage } from "../support/markets";

/**
 * Quotas of users and groups (OpenNebula's datastore quotas and a limit of concurrent
 * transfers), black-box through the API: an upload, a URL import, an app import and a
 * composite import over a quota are refused with 403 QUOTA_EXCEEDED before any byte moves;
 * transfers reserve their room, so two concurrent ones cannot both take the same free space or
 * quota; usage is right while a transfer runs and after it succeeds, fails, is cancelled or its
 * image is deleted. No worker runs unless a test starts one, so the jobs it creates stay QUEUED
 * (their transfer under way) until it does.
 */
const KiB = 1024;
let admin: ApiClient;
let server: Awaited<ReturnType<typeof serveBytes>>;
const work = mkdtempSync(path.join(tmpdir(), "bazaar-quotas-"));

const bytes = {
  a: randomPayload(96 * KiB),
  b: randomPayload(160 * KiB),
  big: randomPayload(600 * KiB),
  small: randomPayload(64 * KiB),
  slow: randomPayload(256 * KiB),
};
let web: Json; // http marketplace
let sources: Record<"a" | "b" | "big", Json>; // admin's images the apps were published from
let appA: Json; // IMAGE app of `a` (96 KiB)
let vmApp: Json; // VMTEMPLATE app with two disks, `a` and `b` (256 KiB together)
let bigApp: Json; // IMAGE app of `big` (600 KiB)

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  server = await serveBytes({
    "/a": bytes.a.data,
    "/b": bytes.b.data,
    "/big": bytes.big.data,
    "/small": bytes.small.data,
    "/slow": { body: bytes.slow.data, bytesPerSecond: 128 * KiB },
    "/missing": { status: 404 },
  });
  const res = await admin.post("/api/v1/marketplaces", {
    name: "web",
    driver: "http",
    config: { publicDir: path.join(work, "web") },
  });
  expect(res.status, res.text).toBe(201);
  web = res.json;
  expect((await admin.post(`/api/v1/marketplaces/${web.id}/chmod`, { permissions: "644" })).status).toBe(204);
  // the periodic monitor is not what these tests are about
  await db().marketplace.update({ where: { id: web.id }, data: { monitorDueAt: new Date(Date.now() + 3600_000) } });
  const store = await apiDatastore(admin, "sources");
  await withWorker(async () => {
    const [a, b, big] = await Promise.all(
      (["a", "b", "big"] as const).map((name) =>
        urlImage(admin, { url: server.url(`/${name}`), name: `src-${name}`, datastoreId: store.id }),
      ),
    );
    const vm = await createVmTemplate(
      admin,
      "two-disks",
      `CPU = "1"\nMEMORY = "64"\nDISK = [ IMAGE_ID = "${a.id}" ]\nDISK = [ IMAGE_ID = "${b.id}" ]\n`,
    );
    // one after the other: concurrent publishes are a test of their own
    appA = await publishReady(admin, { marketplaceId: web.id, imageId: a.id, name: "app-a" });
    vmApp = await publishReady(admin, { marketplaceId: web.id, vmTemplateId: vm.id, name: "vm-app" });
    bigApp = await publishReady(admin, { marketplaceId: web.id, imageId: big.id, name: "big-app" });
    sources = { a, b, big };
  });
  expect(appA.sizeBytes).toBe(96 * KiB);
  expect(vmApp.sizeBytes).toBe(256 * KiB);
  expect(bigApp.sizeBytes).toBe(600 * KiB);
});

afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// helpers

interface Member {
  id: number;
  username: string;
  groupId: number;
  client: ApiClient;
}

/** A signed-in user whose primary group is `groupId` (or a new group of their own, default rights unless given). */
async function member(username: string, groupId?: number, createRights?: string[]): Promise<Member> {
  const gid = groupId ?? (await createGroup(admin, `${username}-group`, createRights ? { createRights } : {}));
  const u = await createUser(admin, username, { primaryGroupId: gid, groupIds: [gid] });
  return { id: u.id, username, groupId: gid, client: await signIn(username, u.password) };
}

/** A datastore every user may use. */
async function sharedDs(name: string, extra: Record<string, unknown> = {}): Promise<Json> {
  const ds = await apiDatastore(admin, name, extra);
  expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "644" })).status).toBe(204);
  return ds;
}

interface QuotaBody {
  maxTransfers?: number | null;
  datastores?: { datastoreId: number | null; maxBytes?: number | null; maxImages?: number | null }[];
}

async function setQuotas(kind: "users" | "groups", id: number, body: QuotaBody): Promise<Json> {
  const res = await admin.put(`/api/v1/${kind}/${id}/quotas`, body);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function quotasOf(kind: "users" | "groups", id: number, client = admin): Promise<Json> {
  const res = await client.get(`/api/v1/${kind}/${id}/quotas`);
  expect(res.status, res.text).toBe(200);
  expect(res.json.datastores[0].datastore).toBeNull();
  return res.json;
}

/** What a user or group uses: transfers, all datastores, and one datastore (zeros when it has no row). */
async function usage(kind: "users" | "groups", id: number, dsId: number) {
  const q = await quotasOf(kind, id);
  const row = q.datastores.find((r: Json) => r.datastore?.id === dsId);
  return {
    transfers: q.transfers.used as number,
    bytes: q.datastores[0].bytes.used as number,
    images: q.datastores[0].images.used as number,
    dsBytes: (row?.bytes.used ?? 0) as number,
    dsImages: (row?.images.used ?? 0) as number,
  };
}

const uploadBody = (name: string, datastoreId: number, size: number) => ({
  source: "upload",
  name,
  datastoreId,
  size,
  type: "DATABLOCK",
});
const urlBody = (name: string, datastoreId: number, from: string, extra: Record<string, unknown> = {}) => ({
  source: "url",
  name,
  datastoreId,
  url: server.url(from),
  type: "DATABLOCK",
  ...extra,
});

/** Files of a datastore's directory, temporary ones too. */
const filesIn = (ds: Json) => (existsSync(ds.basePath) ? readdirSync(ds.basePath).sort() : []);

/** Every image and job there is (whoever owns them), and the files of a datastore. */
async function footprint(ds: Json) {
  const images = await admin.get("/api/v1/images?perPage=1");
  const jobs = await admin.get("/api/v1/jobs?perPage=1");
  expect(images.status).toBe(200);
  expect(jobs.status).toBe(200);
  return { images: images.json.total as number, jobs: jobs.json.total as number, files: filesIn(ds) };
}

/** Runs a request that must be refused before any byte moves: no image, no job, no file. */
async function refusedEarly(ds: Json, request: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const before = await footprint(ds);
  const res = await request();
  expect(res.status, res.text).toBeGreaterThanOrEqual(400);
  expect(await footprint(ds)).toEqual(before);
  return res;
}

/** A 403 QUOTA_EXCEEDED naming the request field, whose detail names the quota. */
function expectQuotaExceeded(res: ApiResponse, field: string, detail: RegExp, reason: RegExp) {
  expectProblem(res, 403, [field]);
  expect(res.json.code).toBe("QUOTA_EXCEEDED");
  expect(res.json.detail).toMatch(detail);
  expect(res.json.invalid_params).toEqual([{ name: field, reason: expect.stringMatching(reason) }]);
}

function expectNoSpace(res: ApiResponse, field: string) {
  expectProblem(res, 507, [field]);
  expect(res.json.code).toBe("NO_SPACE");
  expect(res.json.detail).toMatch(/^not enough space in datastore /);
}

async function created(res: ApiResponse | Promise<ApiResponse>): Promise<Json> {
  const r = await res;
  expect(r.status, r.text).toBe(201);
  return r.json;
}

/** The id of the job an image's transfer runs in. */
async function jobOf(client: ApiClient, imageId: number): Promise<number> {
  const img = (await client.get(`/api/v1/images/${imageId}`)).json;
  expect(img.job?.id, JSON.stringify(img)).toEqual(expect.any(Number));
  return img.job.id;
}

async function cancel(client: ApiClient, jobId: number) {
  const res = await client.post(`/api/v1/jobs/${jobId}/cancel`);
  expect(res.status, res.text).toBe(200);
  expect(res.json.state).toBe("CANCELLED");
}

async function deleteImage(client: ApiClient, id: number) {
  const res = await client.delete(`/api/v1/images/${id}`);
  expect(res.status, res.text).toBe(204);
}

const getImage = async (client: ApiClient, id: number) => (await client.get(`/api/v1/images/${id}`)).json as Json;

/** Waits until an image is READY or ERROR and its job has ended. */
const settled = (client: ApiClient, id: number) =>
  waitFor(`image ${id} to settle`, async () =>
    ((i) => (["READY", "ERROR"].includes(i.state) && !["QUEUED", "RUNNING"].includes(i.job?.state) ? i : null))(
      await getImage(client, id),
    ),
  );

function tus(
  client: ApiClient,
  method: "POST" | "PATCH" | "DELETE",
  where: string,
  headers: Record<string, string>,
  body?: Buffer,
) {
  const h = new Headers({ "tus-resumable": "1.0.0", origin: BASE_URL, ...headers });
  if (client.sessionCookie) h.set("cookie", `bazaar_session=${client.sessionCookie}`);
  const req = new Request(new URL(where, BASE_URL), { method, headers: h, body, duplex: "half" } as RequestInit);
  return method === "POST" ? uploads.POST(req) : upload[method](req);
}

/** Creates the tus upload of an upload image; its location. */
async function openUpload(client: ApiClient, imageId: number, size: number): Promise<string> {
  const res = await tus(client, "POST", "/api/v1/uploads", {
    "upload-length": String(size),
    "upload-metadata": `imageId ${Buffer.from(String(imageId)).toString("base64")}`,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.headers.get("location")!;
}

/** Sends every byte of an upload image (a worker then imports it). */
async function sendUpload(client: ApiClient, imageId: number, data: Buffer) {
  const location = await openUpload(client, imageId, data.length);
  const res = await tus(
    client,
    "PATCH",
    location,
    { "upload-offset": "0", "content-type": "application/offset+octet-stream" },
    data,
  );
  expect(res.status).toBe(204);
}

// ---------------------------------------------------------------------------------------------

describe("a transfer over a quota is refused before any byte moves", () => {
  it("an upload over a user's quota of one datastore: 403 naming size; other datastores are not limited", async () => {
    const u = await member("up-user");
    const ds = await sharedDs("q-upload");
    const other = await sharedDs("q-upload-other");
    await setQuotas("users", u.id, { datastores: [{ datastoreId: ds.id, maxBytes: 100 * KiB }] });

    const res = await refusedEarly(ds, () => u.client.post("/api/v1/images", uploadBody("big", ds.id, 100 * KiB + 1)));
    expectQuotaExceeded(
      res,
      "size",
      /^Quota exceeded: user up-user may store 100\.0 KiB in datastore q-upload and uses 0 B/,
      /^exceeds the size quota of user up-user$/,
    );
    expect(await usage("users", u.id, ds.id)).toEqual({ transfers: 0, bytes: 0, images: 0, dsBytes: 0, dsImages: 0 });

    // exactly the quota fits; the row of q-upload does not limit another datastore
    const fits = await created(u.client.post("/api/v1/images", uploadBody("fits", ds.id, 100 * KiB)));
    const elsewhere = await created(u.client.post("/api/v1/images", uploadBody("elsewhere", other.id, MiB)));
    expect(await usage("users", u.id, ds.id)).toMatchObject({ bytes: 100 * KiB + MiB, dsBytes: 100 * KiB });
    // the quota is full: a single byte more is refused
    expectQuotaExceeded(
      await refusedEarly(ds, () => u.client.post("/api/v1/images", uploadBody("one-more", ds.id, 1))),
      "size",
      /uses 100\.0 KiB; this needs 1 B$/,
      /size quota of user up-user/,
    );
    for (const img of [fits, elsewhere]) await deleteImage(u.client, img.id);
    expect(await usage("users", u.id, ds.id)).toEqual({ transfers: 0, bytes: 0, images: 0, dsBytes: 0, dsImages: 0 });
  });

  it("a URL import over a user's quota of all datastores: 403 naming url, nothing stored, no job", async () => {
    const u = await member("url-user");
    const ds = await sharedDs("q-url");
    await setQuotas("users", u.id, { datastores: [{ datastoreId: null, maxBytes: 100 * KiB }] });

    const hits = server.hits("/big");
    const res = await refusedEarly(ds, () => u.client.post("/api/v1/images", urlBody("big", ds.id, "/big")));
    // at most the one request that learnt the URL's length
    expect(server.hits("/big") - hits).toBeLessThanOrEqual(1);
    expectQuotaExceeded(
      res,
      "url",
      /^Quota exceeded: user url-user may store 100\.0 KiB in all datastores and uses 0 B; this needs 600\.0 KiB$/,
      /^exceeds the size quota of user url-user$/,
    );

    // a URL that fits reserves the length its server announced
    const first = await created(u.client.post("/api/v1/images", urlBody("first", ds.id, "/small")));
    expect(await usage("users", u.id, ds.id)).toEqual({
      transfers: 1,
      bytes: 64 * KiB,
      images: 1,
      dsBytes: 64 * KiB,
      dsImages: 1,
    });
    // so a second one does not fit next to it, though nothing is stored yet
    expectQuotaExceeded(
      await refusedEarly(ds, () => u.client.post("/api/v1/images", urlBody("second", ds.id, "/small"))),
      "url",
      /uses 64\.0 KiB; this needs 64\.0 KiB$/,
      /size quota of user url-user/,
    );
    // cancelled, the first releases its room (its ERROR image still counts as an image)
    await cancel(u.client, await jobOf(u.client, first.id));
    expect(await usage("users", u.id, ds.id)).toEqual({ transfers: 0, bytes: 0, images: 1, dsBytes: 0, dsImages: 1 });
    const second = await created(u.client.post("/api/v1/images", urlBody("second", ds.id, "/small")));
    await cancel(u.client, await jobOf(u.client, second.id));
    expect(filesIn(ds)).toEqual([]);
  });

  it("an app import over a group's quota of one datastore: 403 naming datastoreId and the group", async () => {
    const u = await member("app-user");
    const ds = await sharedDs("q-app");
    await setQuotas("groups", u.groupId, { datastores: [{ datastoreId: ds.id, maxBytes: 64 * KiB }] });

    const res = await refusedEarly(ds, () =>
      u.client.post(`/api/v1/apps/${appA.id}/import`, { datastoreId: ds.id, name: "a" }),
    );
    expectQuotaExceeded(
      res,
      "datastoreId",
      /^Quota exceeded: group app-user-group may store 64\.0 KiB in datastore q-app and uses 0 B; this needs 96\.0 KiB$/,
      /^exceeds the size quota of group app-user-group$/,
    );
    // the user has no quota of their own; the group's is what refused
    expect((await quotasOf("users", u.id)).datastores[0].bytes.limit).toBeNull();

    // with room for it, the same import starts, and holds its bytes in the group's usage
    await setQuotas("groups", u.groupId, { datastores: [{ datastoreId: ds.id, maxBytes: 96 * KiB }] });
    const plan = await created(u.client.post(`/api/v1/apps/${appA.id}/import`, { datastoreId: ds.id, name: "a" }));
    expect(await usage("groups", u.groupId, ds.id)).toEqual({
      transfers: 1,
      bytes: 96 * KiB,
      images: 1,
      dsBytes: 96 * KiB,
      dsImages: 1,
    });
    await cancel(u.client, plan.jobId);
    // a cancelled app import leaves no image behind
    expect(await usage("groups", u.groupId, ds.id)).toEqual({
      transfers: 0,
      bytes: 0,
      images: 0,
      dsBytes: 0,
      dsImages: 0,
    });
  });

  it("a composite import counts all its images together: their bytes and their number", async () => {
    const u = await member("vm-user");
    const ds = await sharedDs("q-vm");
    // each disk alone would fit (96 and 160 KiB), both do not
    await setQuotas("users", u.id, { datastores: [{ datastoreId: ds.id, maxBytes: 200 * KiB }] });
    const importVm = () => u.client.post(`/api/v1/apps/${vmApp.id}/import`, { datastoreId: ds.id, name: "vm" });
    expectQuotaExceeded(
      await refusedEarly(ds, importVm),
      "datastoreId",
      /^Quota exceeded: user vm-user may store 200\.0 KiB in datastore q-vm and uses 0 B; this needs 256\.0 KiB$/,
      /size quota of user vm-user/,
    );

    // room for the bytes, not for two images
    await setQuotas("users", u.id, { datastores: [{ datastoreId: ds.id, maxBytes: 256 * KiB, maxImages: 1 }] });
    expectQuotaExceeded(
      await refusedEarly(ds, importVm),
      "datastoreId",
      /^Quota exceeded: user vm-user may have 1 image\(s\) in datastore q-vm and has 0; this adds 2$/,
      /^exceeds the images quota of user vm-user$/,
    );
    // the group's quota of all datastores counts the images too
    await setQuotas("users", u.id, { datastores: [{ datastoreId: ds.id, maxBytes: 256 * KiB, maxImages: 2 }] });
    await setQuotas("groups", u.groupId, { datastores: [{ datastoreId: null, maxImages: 1 }] });
    expectQuotaExceeded(
      await refusedEarly(ds, importVm),
      "datastoreId",
      /^Quota exceeded: group vm-user-group may have 1 image\(s\) in all datastores and has 0; this adds 2$/,
      /images quota of group vm-user-group/,
    );
    // and a group's bytes over all datastores
    await setQuotas("groups", u.groupId, { datastores: [{ datastoreId: null, maxBytes: 255 * KiB }] });
    expectQuotaExceeded(
      await refusedEarly(ds, importVm),
      "datastoreId",
      /^Quota exceeded: group vm-user-group may store 255\.0 KiB in all datastores/,
      /size quota of group vm-user-group/,
    );

    // exactly enough: the import starts with both images, both reserved
    await setQuotas("groups", u.groupId, { datastores: [{ datastoreId: null, maxBytes: 256 * KiB, maxImages: 2 }] });
    const plan = await created(importVm());
    expect(plan.created).toHaveLength(2);
    expect(await usage("users", u.id, ds.id)).toEqual({
      transfers: 1,
      bytes: 256 * KiB,
      images: 2,
      dsBytes: 256 * KiB,
      dsImages: 2,
    });
    await cancel(u.client, plan.jobId);
    expect(await usage("groups", u.groupId, ds.id)).toMatchObject({ transfers: 0, bytes: 0, images: 0 });
  });

  it("the images quota counts every image, whatever its state", async () => {
    const u = await member("count-user");
    const ds = await sharedDs("q-count");
    await setQuotas("users", u.id, { datastores: [{ datastoreId: null, maxImages: 1 }] });
    const one = await created(u.client.post("/api/v1/images", uploadBody("one", ds.id, 10)));
    for (const [req, field] of [
      [() => u.client.post("/api/v1/images", uploadBody("two", ds.id, 10)), "size"],
      [() => u.client.post("/api/v1/images", urlBody("two", ds.id, "/small")), "url"],
      [() => u.client.post(`/api/v1/apps/${appA.id}/import`, { datastoreId: ds.id, name: "two" }), "datastoreId"],
    ] as const) {
      expectQuotaExceeded(
        await refusedEarly(ds, req),
        field,
        /^Quota exceeded: user count-user may have 1 image\(s\) in all datastores and has 1; this adds 1$/,
        /^exceeds the images quota of user count-user$/,
      );
    }
    // a cancelled upload is an image in ERROR: it still counts until it is deleted
    const location = await openUpload(u.client, one.id, 10);
    expect((await tus(u.client, "DELETE", location, {})).status).toBe(204);
    expect(await getImage(u.client, one.id)).toMatchObject({ state: "ERROR" });
    expectQuotaExceeded(
      await refusedEarly(ds, () => u.client.post("/api/v1/images", uploadBody("two", ds.id, 10))),
      "size",
      /may have 1 image\(s\)/,
      /images quota/,
    );
    await deleteImage(u.client, one.id);
    await deleteImage(u.client, (await created(u.client.post("/api/v1/images", uploadBody("two", ds.id, 10)))).id);
  });

  it("maxTransfers 1: a pending upload blocks a second upload, a URL import and an app import until it is done", async () => {
    const u = await member("busy-user");
    const ds = await sharedDs("q-busy");
    await setQuotas("users", u.id, { maxTransfers: 1 });
    const data = randomPayload(32 * KiB);
    const pending = await created(u.client.post("/api/v1/images", uploadBody("pending", ds.id, data.data.length)));
    expect((await quotasOf("users", u.id)).transfers).toEqual({ limit: 1, used: 1 });

    const hits = server.hits("/small");
    for (const [req, field] of [
      [() => u.client.post("/api/v1/images", uploadBody("second", ds.id, 10)), "size"],
      [() => u.client.post("/api/v1/images", urlBody("second", ds.id, "/small")), "url"],
      [() => u.client.post(`/api/v1/apps/${appA.id}/import`, { datastoreId: ds.id, name: "second" }), "datastoreId"],
    ] as const) {
      expectQuotaExceeded(
        await refusedEarly(ds, req),
        field,
        /^Quota exceeded: user busy-user may run 1 transfer\(s\) at once and runs 1; wait until one ends$/,
        /^exceeds the transfers quota of user busy-user$/,
      );
    }
    // no size quota applies: the refused URL import never reached its server
    expect(server.hits("/small")).toBe(hits);

    // its bytes arrive and a worker stores them: the transfer is over
    await withWorker(async () => {
      await sendUpload(u.client, pending.id, data.data);
      expect(await settled(u.client, pending.id)).toMatchObject({ state: "READY", sizeBytes: data.data.length });
    });
    expect((await quotasOf("users", u.id)).transfers).toEqual({ limit: 1, used: 0 });

    // a URL import may start now; while its job waits, it is the one transfer
    const url = await created(u.client.post("/api/v1/images", urlBody("url", ds.id, "/small")));
    expect((await quotasOf("users", u.id)).transfers).toEqual({ limit: 1, used: 1 });
    expectQuotaExceeded(
      await refusedEarly(ds, () => u.client.post("/api/v1/images", urlBody("url-2", ds.id, "/small"))),
      "url",
      /may run 1 transfer\(s\) at once and runs 1/,
      /transfers quota/,
    );
    await cancel(u.client, await jobOf(u.client, url.id));
    expect((await quotasOf("users", u.id)).transfers).toEqual({ limit: 1, used: 0 });
    const app = await created(u.client.post(`/api/v1/apps/${appA.id}/import`, { datastoreId: ds.id, name: "app" }));
    await cancel(u.client, app.jobId);
    // a pending upload whose image is deleted no longer counts either
    const again = await created(u.client.post("/api/v1/images", uploadBody("again", ds.id, 10)));
    await deleteImage(u.client, again.id);
    expect((await quotasOf("users", u.id)).transfers).toEqual({ limit: 1, used: 0 });
  });

  it("a group's maxTransfers counts the transfers of all its members", async () => {
    const first = await member("crew-1");
    const second = await member("crew-2", first.groupId);
    const ds = await sharedDs("q-crew");
    await setQuotas("groups", first.groupId, { maxTransfers: 1 });
    const pending = await created(first.client.post("/api/v1/images", uploadBody("pending", ds.id, 10)));
    expect((await quotasOf("groups", first.groupId)).transfers).toEqual({ limit: 1, used: 1 });
    expectQuotaExceeded(
      await refusedEarly(ds, () => second.client.post("/api/v1/images", urlBody("mine", ds.id, "/small"))),
      "url",
      /^Quota exceeded: group crew-1-group may run 1 transfer\(s\) at once and runs 1; wait until one ends$/,
      /^exceeds the transfers quota of group crew-1-group$/,
    );
    await deleteImage(first.client, pending.id);
    const mine = await created(second.client.post("/api/v1/images", urlBody("mine", ds.id, "/small")));
    expect((await quotasOf("groups", first.groupId)).transfers).toEqual({ limit: 1, used: 1 });
    // the job counts for the group of the member who started it
    expectQuotaExceeded(
      await refusedEarly(ds, () => first.client.post("/api/v1/images", uploadBody("again", ds.id, 10))),
      "size",
      /group crew-1-group may run 1 transfer\(s\)/,
      /transfers quota of group crew-1-group/,
    );
    await cancel(second.client, await jobOf(second.client, mine.id));
    expect((await quotasOf("groups", first.groupId)).transfers).toEqual({ limit: 1, used: 0 });
  });
});

describe("a change of owner or group", () => {
  it("counts the image against its new owner's and group's quotas: 403 naming the field, nothing changed", async () => {
    const giver = await member("chown-giver");
    const taker = await member("chown-taker");
    const ds = await sharedDs("q-chown");
    const img = await created(giver.client.post("/api/v1/images", uploadBody("given", ds.id, 50 * KiB)));
    await setQuotas("users", taker.id, { datastores: [{ datastoreId: ds.id, maxBytes: 40 * KiB }] });
    expectQuotaExceeded(
      await admin.post(`/api/v1/images/${img.id}/chown`, { ownerId: taker.id }),
      "ownerId",
      /^Quota exceeded: user chown-taker may store 40\.0 KiB in datastore q-chown and uses 0 B; this needs 50\.0 KiB$/,
      /^exceeds the size quota of user chown-taker$/,
    );
    // a group quota holds for a chgrp too
    const team = await createGroup(admin, "chown-team");
    await setQuotas("groups", team, { datastores: [{ datastoreId: null, maxImages: 0 }] });
    expectQuotaExceeded(
      await admin.post(`/api/v1/images/${img.id}/chown`, { groupId: team }),
      "groupId",
      /^Quota exceeded: group chown-team may have 0 image\(s\) in all datastores and has 0; this adds 1$/,
      /^exceeds the images quota of group chown-team$/,
    );
    const after = (await admin.get(`/api/v1/images/${img.id}`)).json;
    expect(after).toMatchObject({ owner: { id: giver.id }, group: { id: giver.groupId } });
    // within the quota it goes through, and the usage moves with it
    await setQuotas("users", taker.id, { datastores: [{ datastoreId: ds.id, maxBytes: 50 * KiB }] });
    expect((await admin.post(`/api/v1/images/${img.id}/chown`, { ownerId: taker.id })).status).toBe(204);
    expect(await usage("users", taker.id, ds.id)).toMatchObject({ dsBytes: 50 * KiB, dsImages: 1 });
    expect(await usage("users", giver.id, ds.id)).toMatchObject({ dsBytes: 0, dsImages: 0 });
  });
});

describe("publishes", () => {
  it("a publish counts against the transfers quota: 403 naming imageId, no app created", async () => {
    const u = await member("publisher", undefined, ["IMAGE", "MARKETPLACE_APP"]);
    const ds = await sharedDs("q-publish");
    const plan = await created(u.client.post(`/api/v1/apps/${appA.id}/import`, { datastoreId: ds.id, name: "mine" }));
    const image = plan.created[0];
    await withWorker(async () => expect((await settleJob(u.client, plan.jobId)).state).toBe("SUCCEEDED"));
    await setQuotas("users", u.id, { maxTransfers: 1 });
    const pending = await created(u.client.post("/api/v1/images", uploadBody("pending", ds.id, 10)));

    const apps = await db().marketplaceApp.count();
    const jobs = (await admin.get("/api/v1/jobs?perPage=1")).json.total;
    const publish = () => u.client.post("/api/v1/apps", { marketplaceId: web.id, imageId: image.id, name: "mine" });
    expectQuotaExceeded(
      await publish(),
      "imageId",
      /^Quota exceeded: user publisher may run 1 transfer\(s\) at once and runs 1; wait until one ends$/,
      /^exceeds the transfers quota of user publisher$/,
    );
    expect(await db().marketplaceApp.count()).toBe(apps);
    expect((await admin.get("/api/v1/jobs?perPage=1")).json.total).toBe(jobs);
    expect(await getImage(u.client, image.id)).toMatchObject({ state: "READY" });

    await deleteImage(u.client, pending.id);
    const app = await created(publish());
    expect((await quotasOf("users", u.id)).transfers).toEqual({ limit: 1, used: 1 });
    await cancel(u.client, app.job.id);
    expect((await quotasOf("users", u.id)).transfers).toEqual({ limit: 1, used: 0 });
  });

  it("concurrent publishes by one user all start (the quota locks do not deadlock)", async () => {
    // no worker: each publish waits in the queue, and is cancelled once the round is over
    for (let round = 0; round < 6; round++) {
      const results = await Promise.all(
        (["a", "b", "big"] as const).map((k) =>
          admin.post("/api/v1/apps", { marketplaceId: web.id, imageId: sources[k].id, name: `twin-${round}-${k}` }),
        ),
      );
      expect(
        results.map((r) => r.status),
        results.map((r) => r.text).join("\n"),
      ).toEqual([201, 201, 201]);
      for (const r of results) await cancel(admin, r.json.job.id);
    }
    for (const k of ["a", "b", "big"] as const)
      expect(await getImage(admin, sources[k].id)).toMatchObject({ state: "READY" });
  });
});

describe("concurrent transfers reserve their room", () => {
  const ROUNDS = 4;

  it("two app imports that together exceed a datastore's free space: exactly one is refused (507)", async () => {
    const u = await member("race-ds");
    const ds = await sharedDs("q-race-ds", { limitMb: 1 });
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(
        ["x", "y"].map((n) =>
          u.client.post(`/api/v1/apps/${bigApp.id}/import`, { datastoreId: ds.id, name: `r${round}-${n}` }),
        ),
      );
      expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join("\n")).toEqual([201, 507]);
      expectNoSpace(
        results.find((r) => r.status === 507)!,
        "datastoreId",
      );
      const ok = results.find((r) => r.status === 201)!.json;
      const held = (await admin.get(`/api/v1/datastores/${ds.id}`)).json.capacity;
      expect(held.freeBytes).toBe(MiB - 600 * KiB);
      expect(await usage("users", u.id, ds.id)).toMatchObject({ transfers: 1, images: 1, bytes: 600 * KiB });
      await cancel(u.client, ok.jobId);
      expect((await admin.get(`/api/v1/datastores/${ds.id}`)).json.capacity.freeBytes).toBe(MiB);
    }
    expect(filesIn(ds)).toEqual([]);
  });

  it("two uploads by two users that together exceed a datastore's free space: exactly one is refused (507)", async () => {
    const [u1, u2] = [await member("race-up-1"), await member("race-up-2")];
    const ds = await sharedDs("q-race-up", { limitMb: 1 });
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(
        [u1, u2].map((u) => u.client.post("/api/v1/images", uploadBody(`r${round}`, ds.id, 600 * KiB))),
      );
      expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join("\n")).toEqual([201, 507]);
      expectNoSpace(
        results.find((r) => r.status === 507)!,
        "size",
      );
      const winner = results[0].status === 201 ? u1 : u2;
      const ok = results.find((r) => r.status === 201)!.json;
      expect(await db().image.count({ where: { datastoreId: ds.id } })).toBe(1);
      await deleteImage(winner.client, ok.id);
    }
  });

  it("two app imports that together exceed a user's quota: exactly one is refused (403)", async () => {
    const u = await member("race-quota");
    const ds = await sharedDs("q-race-quota");
    await setQuotas("users", u.id, { datastores: [{ datastoreId: null, maxBytes: MiB }] });
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(
        ["x", "y"].map((n) =>
          u.client.post(`/api/v1/apps/${bigApp.id}/import`, { datastoreId: ds.id, name: `r${round}-${n}` }),
        ),
      );
      expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join("\n")).toEqual([201, 403]);
      expectQuotaExceeded(
        results.find((r) => r.status === 403)!,
        "datastoreId",
        /^Quota exceeded: user race-quota may store 1\.0 MiB in all datastores and uses 600\.0 KiB; this needs 600\.0 KiB$/,
        /size quota of user race-quota/,
      );
      expect(await usage("users", u.id, ds.id)).toMatchObject({ transfers: 1, images: 1, bytes: 600 * KiB });
      await cancel(u.client, results.find((r) => r.status === 201)!.json.jobId);
    }
    expect(await usage("users", u.id, ds.id)).toMatchObject({ transfers: 0, images: 0, bytes: 0 });
  });

  it("two uploads by two members that together exceed their group's quota: exactly one is refused (403)", async () => {
    const u1 = await member("race-g-1");
    const u2 = await member("race-g-2", u1.groupId);
    const ds = await sharedDs("q-race-group");
    await setQuotas("groups", u1.groupId, { datastores: [{ datastoreId: ds.id, maxBytes: MiB }] });
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(
        [u1, u2].map((u) => u.client.post("/api/v1/images", uploadBody(`r${round}`, ds.id, 600 * KiB))),
      );
      expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join("\n")).toEqual([201, 403]);
      expectQuotaExceeded(
        results.find((r) => r.status === 403)!,
        "size",
        /^Quota exceeded: group race-g-1-group may store 1\.0 MiB in datastore q-race-group/,
        /size quota of group race-g-1-group/,
      );
      const winner = results[0].status === 201 ? u1 : u2;
      await deleteImage(winner.client, results.find((r) => r.status === 201)!.json.id);
    }
  });
});

describe("usage", () => {
  it("counts reservations while transfers run, the stored size after success, nothing after failure or cancel", async () => {
    const u = await member("usage-user");
    const ds = await sharedDs("q-usage");
    // a size quota: URL imports reserve the length their server announces
    await setQuotas("users", u.id, { maxTransfers: 10, datastores: [{ datastoreId: null, maxBytes: 10 * MiB }] });
    const both = async () => {
      const [mine, group] = [await usage("users", u.id, ds.id), await usage("groups", u.groupId, ds.id)];
      expect(group).toEqual(mine); // the user is the group's only member
      return mine;
    };
    expect(await both()).toEqual({ transfers: 0, bytes: 0, images: 0, dsBytes: 0, dsImages: 0 });

    // an app import waiting for a worker holds the app's size
    const plan = await created(u.client.post(`/api/v1/apps/${appA.id}/import`, { datastoreId: ds.id, name: "a" }));
    const a = plan.created[0];
    expect(await both()).toEqual({ transfers: 1, bytes: 96 * KiB, images: 1, dsBytes: 96 * KiB, dsImages: 1 });
    // an upload holds its declared size until its bytes are stored
    const up = await created(u.client.post("/api/v1/images", uploadBody("up", ds.id, bytes.small.data.length)));
    expect(await both()).toEqual({ transfers: 2, bytes: 160 * KiB, images: 2, dsBytes: 160 * KiB, dsImages: 2 });

    await withWorker(async () => {
      // success: the stored size counts instead of the reservation
      expect((await settleJob(u.client, plan.jobId)).state).toBe("SUCCEEDED");
      expect(await getImage(u.client, a.id)).toMatchObject({ state: "READY", sizeBytes: 96 * KiB });
      expect(await both()).toEqual({ transfers: 1, bytes: 160 * KiB, images: 2, dsBytes: 160 * KiB, dsImages: 2 });
      await sendUpload(u.client, up.id, bytes.small.data);
      expect(await settled(u.client, up.id)).toMatchObject({ state: "READY", sizeBytes: 64 * KiB });
      expect(await both()).toEqual({ transfers: 0, bytes: 160 * KiB, images: 2, dsBytes: 160 * KiB, dsImages: 2 });

      // while a slow download runs, its bytes are held
      const slow = await created(u.client.post("/api/v1/images", urlBody("slow", ds.id, "/slow")));
      const slowJob = await jobOf(u.client, slow.id);
      await waitFor("the slow import to run", async () => {
        const j = (await u.client.get(`/api/v1/jobs/${slowJob}`)).json;
        return j.state === "RUNNING" && j.bytesDone > 0;
      });
      expect(await both()).toEqual({ transfers: 1, bytes: 416 * KiB, images: 3, dsBytes: 416 * KiB, dsImages: 3 });
      expect(await settled(u.client, slow.id)).toMatchObject({ state: "READY", sizeBytes: 256 * KiB });
      expect(await both()).toEqual({ transfers: 0, bytes: 416 * KiB, images: 3, dsBytes: 416 * KiB, dsImages: 3 });

      // failures: a URL that answers 404, and bytes whose checksum is not the expected one
      const missing = await created(u.client.post("/api/v1/images", urlBody("missing", ds.id, "/missing")));
      expect(await settled(u.client, missing.id)).toMatchObject({ state: "ERROR" });
      const wrong = await created(
        u.client.post("/api/v1/images", urlBody("wrong", ds.id, "/small", { expectedSha256: "0".repeat(64) })),
      );
      expect(await settled(u.client, wrong.id)).toMatchObject({
        state: "ERROR",
        error: expect.stringMatching(/sha256/),
      });
      // an image in ERROR holds no bytes, but is an image until deleted
      expect(await both()).toEqual({ transfers: 0, bytes: 416 * KiB, images: 5, dsBytes: 416 * KiB, dsImages: 5 });
      expect(filesIn(ds)).toEqual([`img-${a.id}`, `img-${up.id}`, `img-${slow.id}`].sort());
    });

    // cancelled while waiting: a URL import (its image stays, in ERROR), an app import (nothing stays)
    const queued = await created(u.client.post("/api/v1/images", urlBody("queued", ds.id, "/small")));
    const queuedApp = await created(
      u.client.post(`/api/v1/apps/${vmApp.id}/import`, { datastoreId: ds.id, name: "vm" }),
    );
    expect(await both()).toEqual({
      transfers: 2,
      bytes: (416 + 64 + 256) * KiB,
      images: 8,
      dsBytes: (416 + 64 + 256) * KiB,
      dsImages: 8,
    });
    await cancel(u.client, await jobOf(u.client, queued.id));
    await cancel(u.client, queuedApp.jobId);
    expect(await both()).toEqual({ transfers: 0, bytes: 416 * KiB, images: 6, dsBytes: 416 * KiB, dsImages: 6 });
    // a cancelled upload
    const cancelled = await created(u.client.post("/api/v1/images", uploadBody("cancelled", ds.id, 5000)));
    expect(await both()).toMatchObject({ transfers: 1, bytes: 416 * KiB + 5000, images: 7 });
    const location = await openUpload(u.client, cancelled.id, 5000);
    expect((await tus(u.client, "DELETE", location, {})).status).toBe(204);
    expect(await both()).toEqual({ transfers: 0, bytes: 416 * KiB, images: 7, dsBytes: 416 * KiB, dsImages: 7 });

    // deleting the images gives everything back
    const mine = (await u.client.get("/api/v1/images?perPage=200")).json.items.filter(
      (i: Json) => i.datastore.id === ds.id,
    );
    expect(mine).toHaveLength(7);
    for (const img of mine) await deleteImage(u.client, img.id);
    expect(await quotasOf("users", u.id)).toEqual({
      transfers: { limit: 10, used: 0 },
      datastores: [{ datastore: null, bytes: { limit: 10 * MiB, used: 0 }, images: { limit: null, used: 0 } }],
    });
    expect(filesIn(ds)).toEqual([]);
  });
});

describe("the job keeps to the quota", () => {
  it("a URL import whose quota was lowered before its job ran fails with the quota's message, storing nothing", async () => {
    const u = await member("lowered-user");
    const ds = await sharedDs("q-lowered");
    await setQuotas("users", u.id, { datastores: [{ datastoreId: null, maxBytes: 10 * MiB }] });
    const img = await created(u.client.post("/api/v1/images", urlBody("big", ds.id, "/big")));
    expect(await usage("users", u.id, ds.id)).toMatchObject({ bytes: 600 * KiB, images: 1 });
    await setQuotas("users", u.id, { datastores: [{ datastoreId: null, maxBytes: 100 * KiB }] });
    await withWorker(async () => {
      expect(await settled(u.client, img.id)).toMatchObject({
        state: "ERROR",
        error:
          "Quota exceeded: user lowered-user may store 100.0 KiB in all datastores, and this image would take more",
      });
    });
    expect(await usage("users", u.id, ds.id)).toEqual({ transfers: 0, bytes: 0, images: 1, dsBytes: 0, dsImages: 1 });
    expect(filesIn(ds)).toEqual([]);
  });
});

describe("the quotas API", () => {
  let alice: Member;
  let bob: Member;
  let ds: Json;

  beforeAll(async () => {
    alice = await member("alice");
    bob = await member("bob");
    ds = await sharedDs("q-api");
  });

  it("answers every row with its usage; admins set, the user and the group's members read", async () => {
    const none = {
      transfers: { limit: null, used: 0 },
      datastores: [{ datastore: null, bytes: { limit: null, used: 0 }, images: { limit: null, used: 0 } }],
    };
    expect(await quotasOf("users", alice.id, alice.client)).toEqual(none);
    expect(await quotasOf("groups", alice.groupId, alice.client)).toEqual(none);

    const body = {
      maxTransfers: 2,
      datastores: [
        { datastoreId: ds.id, maxBytes: 500, maxImages: null },
        // larger than 32 bits: stored as such
        { datastoreId: null, maxBytes: 5 * 1024 * MiB, maxImages: 3 },
      ],
    };
    const expected = {
      transfers: { limit: 2, used: 0 },
      datastores: [
        { datastore: null, bytes: { limit: 5 * 1024 * MiB, used: 0 }, images: { limit: 3, used: 0 } },
        { datastore: { id: ds.id, name: "q-api" }, bytes: { limit: 500, used: 0 }, images: { limit: null, used: 0 } },
      ],
    };
    expect(await setQuotas("users", alice.id, body)).toEqual(expected);
    expect(await quotasOf("users", alice.id, alice.client)).toEqual(expected);
    expect(await setQuotas("groups", alice.groupId, body)).toEqual(expected);
    expect(await quotasOf("groups", alice.groupId, alice.client)).toEqual(expected);
    // the largest limits there are
    expect(
      await setQuotas("users", bob.id, {
        maxTransfers: 2 ** 31 - 1,
        datastores: [{ datastoreId: null, maxBytes: Number.MAX_SAFE_INTEGER, maxImages: 2 ** 31 - 1 }],
      }),
    ).toMatchObject({
      transfers: { limit: 2 ** 31 - 1 },
      datastores: [{ bytes: { limit: Number.MAX_SAFE_INTEGER }, images: { limit: 2 ** 31 - 1 } }],
    });
    // a PUT replaces them all
    expect(await setQuotas("users", bob.id, {})).toEqual(none);

    // only admins set quotas, their own included
    for (const [kind, id] of [
      ["users", bob.id],
      ["users", alice.id],
      ["groups", bob.groupId],
    ] as const) {
      expectProblem(await bob.client.put(`/api/v1/${kind}/${id}/quotas`, { maxTransfers: 100 }), 403);
    }
    expect((await quotasOf("users", bob.id)).transfers.limit).toBeNull();
    // another user's and another group's do not exist for a plain user
    expectProblem(await bob.client.get(`/api/v1/users/${alice.id}/quotas`), 404);
    expectProblem(await bob.client.get(`/api/v1/groups/${alice.groupId}/quotas`), 404);
    expectProblem(await admin.get("/api/v1/users/987654/quotas"), 404);
    expectProblem(await admin.put("/api/v1/groups/987654/quotas", {}), 404);
  });

  it("validates the limits and the datastores, and keeps what was there when it refuses", async () => {
    const before = await setQuotas("users", bob.id, { maxTransfers: 4 });
    const cases: [QuotaBody | Record<string, unknown>, string][] = [
      [{ datastores: [{ datastoreId: 987654, maxBytes: 1 }] }, "datastores.0.datastoreId"],
      [
        {
          datastores: [
            { datastoreId: ds.id, maxBytes: 1 },
            { datastoreId: ds.id, maxImages: 1 },
          ],
        },
        "datastores.1.datastoreId",
      ],
      [
        {
          datastores: [
            { datastoreId: null, maxBytes: 1 },
            { datastoreId: null, maxImages: 1 },
          ],
        },
        "datastores.1.datastoreId",
      ],
      [{ datastores: [{ datastoreId: null, maxBytes: -1 }] }, "datastores.0.maxBytes"],
      [{ datastores: [{ datastoreId: null, maxBytes: 1.5 }] }, "datastores.0.maxBytes"],
      [{ datastores: [{ datastoreId: null, maxBytes: 2 ** 53 }] }, "datastores.0.maxBytes"],
      [{ datastores: [{ datastoreId: ds.id, maxImages: -1 }] }, "datastores.0.maxImages"],
      [{ datastores: [{ datastoreId: ds.id, maxImages: 2 ** 31 }] }, "datastores.0.maxImages"],
      [{ maxTransfers: -1 }, "maxTransfers"],
      [{ maxTransfers: 2 ** 31 }, "maxTransfers"],
      [{ maxTransfers: "2" }, "maxTransfers"],
    ];
    for (const [body, field] of cases) {
      const res = await admin.put(`/api/v1/users/${bob.id}/quotas`, body);
      expectProblem(res, 400, [field]);
    }
    expect(await quotasOf("users", bob.id)).toEqual(before);
  });

  it("accepts a limit below what is used now; it then blocks every new transfer", async () => {
    const u = await member("over-user");
    const data = randomPayload(20 * KiB);
    const img = await created(u.client.post("/api/v1/images", uploadBody("stored", ds.id, data.data.length)));
    await withWorker(async () => {
      await sendUpload(u.client, img.id, data.data);
      expect(await settled(u.client, img.id)).toMatchObject({ state: "READY" });
    });
    const q = await setQuotas("users", u.id, {
      maxTransfers: 0,
      datastores: [{ datastoreId: ds.id, maxBytes: 10 * KiB, maxImages: 0 }],
    });
    expect(q).toEqual({
      transfers: { limit: 0, used: 0 },
      datastores: [
        { datastore: null, bytes: { limit: null, used: 20 * KiB }, images: { limit: null, used: 1 } },
        {
          datastore: { id: ds.id, name: "q-api" },
          bytes: { limit: 10 * KiB, used: 20 * KiB },
          images: { limit: 0, used: 1 },
        },
      ],
    });
    expectQuotaExceeded(
      await refusedEarly(ds, () => u.client.post("/api/v1/images", uploadBody("more", ds.id, 1))),
      "size",
      /^Quota exceeded: user over-user may /,
      /^exceeds the (transfers|images|size) quota of user over-user$/,
    );
    await setQuotas("users", u.id, { datastores: [{ datastoreId: ds.id, maxBytes: 10 * KiB }] });
    expectQuotaExceeded(
      await refusedEarly(ds, () => u.client.post(`/api/v1/apps/${appA.id}/import`, { datastoreId: ds.id, name: "x" })),
      "datastoreId",
      /may store 10\.0 KiB in datastore q-api and uses 20\.0 KiB; this needs 96\.0 KiB$/,
      /size quota of user over-user/,
    );
    // what was stored stays
    expect(await getImage(u.client, img.id)).toMatchObject({ state: "READY", sizeBytes: 20 * KiB });
    await deleteImage(u.client, img.id);
    await deleteImage(u.client, (await created(u.client.post("/api/v1/images", uploadBody("now", ds.id, 10)))).id);
  });

  it("deleting a user, a group or a datastore removes its quotas", async () => {
    const doomedDs = await sharedDs("q-doomed");
    const gone = await member("gone-user");
    const emptyGroup = await createGroup(admin, "empty-group");
    const rows = {
      datastores: [
        { datastoreId: doomedDs.id, maxBytes: 1 },
        { datastoreId: null, maxImages: 5 },
      ],
    };
    await setQuotas("users", gone.id, rows);
    await setQuotas("groups", emptyGroup, rows);
    await setQuotas("users", alice.id, { maxTransfers: 3, ...rows });
    expect(await db().quota.count({ where: { datastoreId: doomedDs.id } })).toBe(3);

    expect((await admin.delete(`/api/v1/users/${gone.id}`)).status).toBe(204);
    expect(await db().quota.count({ where: { userId: gone.id } })).toBe(0);
    expectProblem(await admin.get(`/api/v1/users/${gone.id}/quotas`), 404);
    expect((await admin.delete(`/api/v1/groups/${emptyGroup}`)).status).toBe(204);
    expect(await db().quota.count({ where: { groupId: emptyGroup } })).toBe(0);
    expectProblem(await admin.get(`/api/v1/groups/${emptyGroup}/quotas`), 404);

    expect((await admin.delete(`/api/v1/datastores/${doomedDs.id}`)).status).toBe(204);
    expect(await db().quota.count({ where: { datastoreId: doomedDs.id } })).toBe(0);
    // the rest of alice's quotas stay
    expect(await quotasOf("users", alice.id, alice.client)).toEqual({
      transfers: { limit: 3, used: 0 },
      datastores: [{ datastore: null, bytes: { limit: null, used: 0 }, images: { limit: 5, used: 0 } }],
    });
    // and her new uploads are not limited by a datastore that is gone
    const img = await created(alice.client.post("/api/v1/images", uploadBody("after", ds.id, 10)));
    await deleteImage(alice.client, img.id);
  });
});
