import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getConfig, setConfigForTests, type Config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { importUploadJob } from "@/lib/images/import-image-job";
import { uploadFile } from "@/lib/images/upload-file";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { runSchedules } from "@/lib/jobs/schedules";
import { startWorker } from "@/lib/jobs/worker";
import { expireAbandonedUploads } from "@/lib/uploads/expire-abandoned-uploads";
import { localZone } from "@/lib/zones/local-zone";
import * as uploads from "@/app/api/v1/uploads/route";
import * as upload from "@/app/api/v1/uploads/[id]/route";
import { ApiClient, BASE_URL, createUser, expectProblem, signIn, signInAdmin, type Json } from "../helpers/api";
import { randomPayload, waitFor } from "../support/images";

/** Resumable uploads over the tus protocol: interrupted, resumed, verified, then imported. */
let admin: ApiClient;
let worker: ReturnType<typeof startWorker>;
let zoneId: number;

beforeAll(async () => {
  admin = await signInAdmin();
  zoneId = (await localZone()).id;
  // the tus server makes it on its first request; tests that look inside may come first
  mkdirSync(getConfig().uploadDir, { recursive: true });
  worker = startWorker({ zoneId, pollMs: 100, log: () => {} });
});
afterAll(() => worker.stop());

function tus(
  client: ApiClient,
  method: "POST" | "HEAD" | "PATCH" | "DELETE",
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
) {
  const h = new Headers({ "tus-resumable": "1.0.0", origin: BASE_URL, ...headers });
  if (client.sessionCookie) h.set("cookie", `bazaar_session=${client.sessionCookie}`);
  const req = new Request(new URL(path, BASE_URL), { method, headers: h, body, duplex: "half" } as RequestInit);
  if (method === "POST") return uploads.POST(req);
  return upload[method](req);
}

const meta = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");

async function newUploadImage(
  client: ApiClient,
  dsId: number,
  name: string,
  size: number,
  extra: Record<string, unknown> = {},
) {
  const res = await client.post("/api/v1/images", {
    source: "upload",
    name,
    datastoreId: dsId,
    size,
    type: "DATABLOCK",
    ...extra,
  });
  expect(res.status, res.text).toBe(201);
  expect(res.json.state).toBe("INIT");
  return res.json as Json;
}

const getImage = async (id: number) => (await admin.get(`/api/v1/images/${id}`)).json as Json;

/** Waits for the import of a finished upload to end; the image as it then is. */
const imported = (id: number) =>
  waitFor(`image ${id} to be imported`, async () =>
    ((r) => ((r.state === "READY" || r.state === "ERROR") && r.job?.state !== "RUNNING" ? r : null))(
      await getImage(id),
    ),
  );

const createUpload = (imageId: number, headers: Record<string, string>) =>
  tus(admin, "POST", "/api/v1/uploads", { ...headers, "upload-metadata": meta({ imageId: String(imageId) }) });

const append = (location: string, offset: number, bytes: Buffer) =>
  tus(
    admin,
    "PATCH",
    location,
    { "upload-offset": String(offset), "content-type": "application/offset+octet-stream" },
    bytes,
  );

/** Creates an upload image of `data.length` bytes and its upload, and sends the first `sent` bytes. */
async function startUpload(dsId: number, name: string, data: Buffer, sent: number) {
  const img = await newUploadImage(admin, dsId, name, data.length);
  const created = await createUpload(img.id, { "upload-length": String(data.length) });
  expect(created.status).toBe(201);
  const location = created.headers.get("location")!;
  if (sent > 0) expect((await append(location, 0, data.subarray(0, sent))).status).toBe(204);
  return { img, location, uploadId: location.split("/").pop()! };
}

/** Names in the upload directory that are not in `before`. */
const newUploadFiles = (before: string[]) => readdirSync(getConfig().uploadDir).filter((f) => !before.includes(f));

describe("resumable upload", () => {
  it("resumes from the server's offset after an interruption and yields a READY image with the same sha256", async () => {
    const ds = (await admin.post("/api/v1/datastores", { name: "uploads" })).json;
    const payload = randomPayload(3 * 1024 * 1024 + 123);
    const img = await newUploadImage(admin, ds.id, "uploaded", payload.data.length, { expectedSha256: payload.sha256 });

    const created = await tus(admin, "POST", "/api/v1/uploads", {
      "upload-length": String(payload.data.length),
      "upload-metadata": meta({ imageId: String(img.id), filename: "disk.raw" }),
    });
    expect(created.status).toBe(201);
    const location = created.headers.get("location")!;
    expect(location).toMatch(/^\/api\/v1\/uploads\/[A-Za-z0-9_-]+$/);

    const first = payload.data.subarray(0, 1024 * 1024);
    const r1 = await tus(
      admin,
      "PATCH",
      location,
      { "upload-offset": "0", "content-type": "application/offset+octet-stream" },
      first,
    );
    expect(r1.status).toBe(204);
    // the connection "drops"; the client asks where to go on from
    const head = await tus(admin, "HEAD", location, {});
    expect(head.headers.get("upload-offset")).toBe(String(first.length));
    expect((await admin.get(`/api/v1/images/${img.id}`)).json.state).toBe("INIT");

    const r2 = await tus(
      admin,
      "PATCH",
      location,
      { "upload-offset": String(first.length), "content-type": "application/offset+octet-stream" },
      payload.data.subarray(first.length),
    );
    expect(r2.status).toBe(204);
    const done = await waitFor("the upload to be imported", async () => {
      const r = (await admin.get(`/api/v1/images/${img.id}`)).json;
      return (r.state === "READY" || r.state === "ERROR") && r.job?.state !== "RUNNING" ? r : null;
    });
    expect(done).toMatchObject({
      state: "READY",
      sha256: payload.sha256,
      md5: payload.md5,
      sizeBytes: payload.data.length,
      origin: "UPLOAD",
    });
    expect(readdirSync(ds.basePath)).toEqual([`img-${img.id}`]);
    // the finished upload's staging files are gone
    expect(readdirSync(getConfig().uploadDir).filter((f) => f.startsWith(location.split("/").pop()!))).toEqual([]);
  });

  it("belongs to its user: another user cannot see, append to or cancel it", async () => {
    const ds = (await admin.post("/api/v1/datastores", { name: "uploads-2" })).json;
    const img = await newUploadImage(admin, ds.id, "private-upload", 1000);
    const created = await tus(admin, "POST", "/api/v1/uploads", {
      "upload-length": "1000",
      "upload-metadata": meta({ imageId: String(img.id) }),
    });
    const location = created.headers.get("location")!;
    const dave = await createUser(admin, "dave");
    const d = await signIn("dave", dave.password);
    expect((await tus(d, "HEAD", location, {})).status).toBe(404);
    expect(
      (
        await tus(
          d,
          "PATCH",
          location,
          { "upload-offset": "0", "content-type": "application/offset+octet-stream" },
          Buffer.alloc(10),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await tus(d, "POST", "/api/v1/uploads", {
          "upload-length": "10",
          "upload-metadata": meta({ imageId: String(img.id) }),
        })
      ).status,
    ).toBe(404);
    // once dave may see the image (other USE) but still not change it: 403, not 404
    expect((await admin.post(`/api/v1/images/${img.id}/chmod`, { permissions: "604" })).status).toBe(204);
    expect((await tus(d, "HEAD", location, {})).status).toBe(403);
    expect(
      (
        await tus(
          d,
          "PATCH",
          location,
          { "upload-offset": "0", "content-type": "application/offset+octet-stream" },
          Buffer.alloc(10),
        )
      ).status,
    ).toBe(403);
    // a second upload for the same image is refused; the first can be resumed
    expect(
      (
        await tus(admin, "POST", "/api/v1/uploads", {
          "upload-length": "1000",
          "upload-metadata": meta({ imageId: String(img.id) }),
        })
      ).status,
    ).toBe(409);
    // without a session at all
    expect((await tus(new ApiClient(), "HEAD", location, {})).status).toBe(401);
    // cancelling ends the image in ERROR with the reason
    expect((await tus(admin, "DELETE", location, {})).status).toBe(204);
    const after = (await admin.get(`/api/v1/images/${img.id}`)).json;
    expect(after).toMatchObject({ state: "ERROR", error: "the upload was cancelled" });
  });

  it("refuses an upload that does not fit before any byte moves", async () => {
    const MiB = 1024 * 1024;
    const ds = (await admin.post("/api/v1/datastores", { name: "small", limitMb: 1 })).json;
    const free = async () => (await admin.get(`/api/v1/datastores/${ds.id}`)).json.capacity.freeBytes as number;
    const imageCount = async () => (await admin.get("/api/v1/images?perPage=1")).json.total as number;
    /** An upload image the datastore has no room for: 507 when it is created, and no image. */
    const refused = async (name: string, size: number, detail = /^not enough space in datastore small: /) => {
      const before = await imageCount();
      const res = await admin.post("/api/v1/images", {
        source: "upload",
        name,
        datastoreId: ds.id,
        size,
        type: "DATABLOCK",
      });
      expectProblem(res, 507, ["size"]);
      expect(res.json.code).toBe("NO_SPACE");
      expect(res.json.detail).toMatch(detail);
      expect(await imageCount()).toBe(before);
    };
    await refused("big", 5 * MiB, /^not enough space in datastore small: need 5\.0 MiB, free 1\.0 MiB$/);

    // an upload reserves its room when its image is created, before any byte arrives: a second
    // one that would not fit next to it is refused at once, not when its bytes come
    const size = 600 * 1024;
    const first = await newUploadImage(admin, ds.id, "first", size);
    expect(await free()).toBe(MiB - size);
    await refused("late", size, /^not enough space in datastore small: need 600\.0 KiB, free 424\.0 KiB$/);
    // deleted before its bytes came: the room is back
    expect((await admin.delete(`/api/v1/images/${first.id}`)).status).toBe(204);
    expect(await free()).toBe(MiB);

    // cancelled half-way: the room is back
    const data = randomPayload(size).data;
    const second = await startUpload(ds.id, "second", data, 1000);
    expect(await free()).toBe(MiB - size);
    await refused("late", size);
    expect((await tus(admin, "DELETE", second.location, {})).status).toBe(204);
    expect(await getImage(second.img.id)).toMatchObject({ state: "ERROR", error: "the upload was cancelled" });
    expect(await free()).toBe(MiB);

    // finished: the stored image takes its size, and no more
    const third = await startUpload(ds.id, "third", data, size);
    expect(await imported(third.img.id)).toMatchObject({ state: "READY", sizeBytes: size });
    expect(await free()).toBe(MiB - size);
    await refused("late", MiB - size + 1);
    const late = await newUploadImage(admin, ds.id, "late", MiB - size);
    expect(await free()).toBe(0);
    // its upload fits in the room it reserved
    const res = await createUpload(late.id, { "upload-length": String(MiB - size) });
    expect(res.status).toBe(201);
    expect((await admin.delete(`/api/v1/images/${late.id}`)).status).toBe(204);
    expect(await free()).toBe(MiB - size);
  });
});

describe("the size an image was created with", () => {
  it("refuses any other Upload-Length and a deferred one, keeps PATCHes within it, and ends READY with it", async () => {
    const ds = (await admin.post("/api/v1/datastores", { name: "declared" })).json;
    const payload = randomPayload(1000);
    const img = await newUploadImage(admin, ds.id, "declared", 1000);
    const before = readdirSync(getConfig().uploadDir);

    // more than declared: 413, as tus answers a length over its maximum
    const larger = await createUpload(img.id, { "upload-length": "5000" });
    expect(larger.status).toBe(413);
    expect(await larger.text()).toBe(
      "Upload-Length 5000 does not match the size image declared was created with (1000 bytes)",
    );
    const smaller = await createUpload(img.id, { "upload-length": "999" });
    expect(smaller.status).toBe(400);
    expect(await smaller.text()).toContain("does not match the size image declared was created with");
    // a deferred length would let the client choose the size once bytes have moved
    const deferred = await createUpload(img.id, { "upload-defer-length": "1" });
    expect(deferred.status).toBe(400);
    expect(await deferred.text()).toContain("deferred length is not supported");
    // nothing was created: no file, and the image still takes its upload
    expect(newUploadFiles(before)).toEqual([]);
    expect(await getImage(img.id)).toMatchObject({ state: "INIT", uploadId: "" });

    const created = await createUpload(img.id, { "upload-length": "1000" });
    expect(created.status).toBe(201);
    const day = Date.now() + 24 * 3_600_000;
    expect(Math.abs(Date.parse(created.headers.get("upload-expires")!) - day)).toBeLessThan(60_000);
    const location = created.headers.get("location")!;
    const first = await append(location, 0, payload.data.subarray(0, 600));
    expect(first.status).toBe(204);
    expect(first.headers.get("upload-expires")).not.toBeNull();
    // more bytes than the length leaves room for: refused, and none of them written
    const over = await append(location, 600, Buffer.concat([payload.data.subarray(600), randomPayload(4000).data]));
    expect(over.status).toBe(413);
    expect((await tus(admin, "HEAD", location, {})).headers.get("upload-offset")).toBe("600");

    const last = await append(location, 600, payload.data.subarray(600));
    expect(last.status).toBe(204);
    expect(last.headers.get("upload-expires")).toBeNull(); // finished: it no longer expires
    expect(await imported(img.id)).toMatchObject({ state: "READY", sizeBytes: 1000, sha256: payload.sha256 });
  });

  it("fails the import of an upload file whose size is not the declared one", async () => {
    const ds = (await admin.post("/api/v1/datastores", { name: "declared-2" })).json;
    const img = await newUploadImage(admin, ds.id, "tampered", 1000);
    // a file changed behind tus's back (or an upload from before sizes were recorded)
    const uploadId = "tampered-upload";
    writeFileSync(uploadFile(uploadId), randomPayload(1200).data);
    await db().image.update({ where: { id: img.id }, data: { uploadId, state: "LOCKED" } });
    await enqueueJob(db(), importUploadJob, {
      zoneId,
      payload: { imageId: img.id, uploadId },
      title: "Import upload of tampered",
      objectType: "IMAGE",
      objectId: img.id,
    });
    expect(await imported(img.id)).toMatchObject({
      state: "ERROR",
      error: "the upload holds 1200 bytes, but the image was created with 1000",
    });
    expect(existsSync(uploadFile(uploadId))).toBe(false);
    expect(readdirSync(ds.basePath)).toEqual([]);
  });
});

describe("abandoned uploads", () => {
  const HOUR = 3_600_000;
  const ago = (ms: number) => new Date(Date.now() - ms);
  /** the clock of expiry: when the upload's file last received bytes */
  const lastBytesAt = (uploadId: string, at: Date) => utimesSync(uploadFile(uploadId), at, at);
  const createdAt = (imageId: number, at: Date) =>
    db().image.update({ where: { id: imageId }, data: { createdAt: at } });

  let config: Config;
  beforeEach(() => {
    config = getConfig();
    setConfigForTests({ ...config, uploadExpireHours: 1 });
  });
  afterEach(() => setConfigForTests(config));

  it("ends uploads that received no bytes for the expiry: ERROR 'upload abandoned', bytes gone, tus answers 410", async () => {
    const ds = (await admin.post("/api/v1/datastores", { name: "abandoned" })).json;
    const data = randomPayload(1000);
    const idle = await startUpload(ds.id, "idle", data.data, 100);
    await createdAt(idle.img.id, ago(3 * HOUR));
    lastBytesAt(idle.uploadId, ago(2 * HOUR));
    const neverStarted = await newUploadImage(admin, ds.id, "never-started", 1000);
    await createdAt(neverStarted.id, ago(2 * HOUR));
    // created long ago, but its last bytes came half an hour ago: still going
    const slow = await startUpload(ds.id, "slow", data.data, 100);
    await createdAt(slow.img.id, ago(3 * HOUR));
    lastBytesAt(slow.uploadId, ago(HOUR / 2));
    const fresh = await newUploadImage(admin, ds.id, "fresh", 1000);

    expect(await expireAbandonedUploads(zoneId)).toBe(2);
    for (const id of [idle.img.id, neverStarted.id]) {
      expect(await getImage(id)).toMatchObject({
        state: "ERROR",
        error: "upload abandoned: no bytes arrived for 1 hour",
      });
    }
    expect(readdirSync(getConfig().uploadDir).filter((f) => f.startsWith(idle.uploadId))).toEqual([]);
    const head = await tus(admin, "HEAD", idle.location, {});
    expect(head.status).toBe(410);
    expect(await head.text()).toContain("upload abandoned");
    expect((await append(idle.location, 100, data.data.subarray(100))).status).toBe(410);
    expect(await getImage(fresh.id)).toMatchObject({ state: "INIT" });

    // the one still moving resumes where it was and finishes
    expect(await getImage(slow.img.id)).toMatchObject({ state: "INIT" });
    expect((await tus(admin, "HEAD", slow.location, {})).headers.get("upload-offset")).toBe("100");
    const resumed = await append(slow.location, 100, data.data.subarray(100, 500));
    expect(resumed.status).toBe(204);
    // the expiry moves with every byte that arrives
    expect(Math.abs(Date.parse(resumed.headers.get("upload-expires")!) - (Date.now() + HOUR))).toBeLessThan(60_000);
    expect((await append(slow.location, 500, data.data.subarray(500))).status).toBe(204);
    expect(await imported(slow.img.id)).toMatchObject({ state: "READY", sha256: data.sha256 });

    expect(await expireAbandonedUploads(zoneId)).toBe(0);
  });

  it("runs from the workers' periodic schedule", async () => {
    const ds = (await admin.post("/api/v1/datastores", { name: "abandoned-2" })).json;
    const idle = await startUpload(ds.id, "idle-2", randomPayload(1000).data, 10);
    await createdAt(idle.img.id, ago(2 * HOUR));
    lastBytesAt(idle.uploadId, ago(2 * HOUR));
    // its turn has come (the worker of this file took the first one when it started)
    await db().periodicTask.upsert({
      where: { zoneId_name: { zoneId, name: "uploads.expire" } },
      create: { zoneId, name: "uploads.expire", dueAt: ago(1000) },
      update: { dueAt: ago(1000) },
    });
    await Promise.all([runSchedules(zoneId), runSchedules(zoneId)]);
    const img = await waitFor(
      "the upload to expire",
      async () => ((i) => (i.state === "ERROR" ? i : null))(await getImage(idle.img.id)),
      5_000,
    );
    expect(img.error).toContain("upload abandoned");
    expect(existsSync(uploadFile(idle.uploadId))).toBe(false);
    expect(
      await db().auditEvent.count({ where: { action: "image.upload-expired", objectId: String(idle.img.id) } }),
    ).toBe(1);
  });
});
