import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as catalogRoute from "@/app/catalog/[id]/[...path]/route";
import { db } from "@/lib/db/client";
import { startWorker } from "@/lib/jobs/worker";
import { s3MarketConfig } from "@/lib/markets/drivers/config";
import { PRESIGNED_URL_SECONDS } from "@/lib/markets/drivers/s3-presign";
import { localZone } from "@/lib/zones/local-zone";
import {
  BASE_URL,
  createUser,
  expectProblem,
  passwordFor,
  signIn,
  signInAdmin,
  type ApiClient,
  type Json,
} from "../helpers/api";
import { allowLoopbackUrls, randomPayload, serveBytes, apiDatastore } from "../support/images";
import { publishReady, rawRequest, urlImage } from "../support/markets";
import { S3RVER_SECRET_ACCESS_KEY, startS3, type TestS3 } from "../support/s3";

/**
 * An s3 marketplace with `downloadRedirect`: app downloads (and its catalog's file downloads)
 * answer a redirect to a presigned URL of the object once the permission and state are checked,
 * and are recorded in the audit log; without the switch, the bytes stream through the portal.
 */
let admin: ApiClient;
let worker: ReturnType<typeof startWorker>;
let server: Awaited<ReturnType<typeof serveBytes>>;
let s3: TestS3;
let bucket: Json;
let app: Json;
const payload = randomPayload(3 * 1024 * 1024 + 17);

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  s3 = await startS3();
  server = await serveBytes({ "/disk.raw": payload.data });
  worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, log: () => {} });
  const ds = await apiDatastore(admin, "images");
  const res = await admin.post("/api/v1/marketplaces", {
    name: "bucket",
    driver: "s3",
    config: {
      accessKeyId: "S3RVER",
      region: "us-east-1",
      bucket: "redirects",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      partSizeMb: 5,
      downloadRedirect: true,
    },
    secrets: { secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
  });
  expect(res.status, res.text).toBe(201);
  bucket = res.json;
  await db().marketplace.update({ where: { id: bucket.id }, data: { monitorDueAt: new Date(Date.now() + 3600_000) } });
  const image = await urlImage(admin, { url: server.url("/disk.raw"), name: "disk", datastoreId: ds.id });
  app = await publishReady(admin, { marketplaceId: bucket.id, imageId: image.id, name: "disk" });
});

afterAll(async () => {
  await worker.stop();
  await server.close();
  await s3.stop();
});

const downloads = () => db().auditEvent.findMany({ where: { action: "app.download" }, orderBy: { id: "asc" } });
const setRedirect = async (on: boolean) => {
  const res = await admin.patch(`/api/v1/marketplaces/${bucket.id}`, { config: { downloadRedirect: on } });
  expect(res.status, res.text).toBe(200);
  expect(res.json.config.downloadRedirect).toBe(on);
};

describe("an s3 marketplace with downloadRedirect", () => {
  it("shows the switch in the marketplace's attributes; it is off unless set", async () => {
    expect(bucket.config.downloadRedirect).toBe(true);
    const { downloadRedirect, ...rest } = bucket.config;
    expect(downloadRedirect).toBe(true);
    expect(s3MarketConfig.parse(rest).downloadRedirect).toBe(false);
  });

  it("answers a download with a redirect to a short-lived URL that serves the exact bytes, Range included; the download is audited", async () => {
    const before = (await downloads()).length;
    const res = await rawRequest(admin, `/api/v1/apps/${app.id}/download`);
    expect(res.status).toBe(307);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const location = res.headers.get("location")!;
    const url = new URL(location);
    expect(url.origin).toBe(s3.endpoint);
    expect(url.searchParams.get("X-Amz-Expires")).toBe(String(PRESIGNED_URL_SECONDS));
    expect(res.body).toBeNull();

    const whole = await fetch(location);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-disposition")).toBe('attachment; filename="disk.raw"');
    expect(Buffer.from(await whole.arrayBuffer()).equals(payload.data)).toBe(true);
    const part = await fetch(location, { headers: { range: "bytes=1000-2999999" } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(payload.data.subarray(1000, 3000000))).toBe(true);

    const events = await downloads();
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({
      actorName: "admin",
      objectType: "MARKETPLACE_APP",
      objectId: String(app.id),
      objectName: "disk",
    });
    expect(JSON.parse(events.at(-1)!.details)).toEqual({ marketplaceId: bucket.id, redirect: true });
  });

  it("a Range request is redirected too, for the S3 service to answer", async () => {
    const res = await rawRequest(admin, `/api/v1/apps/${app.id}/download`, { headers: { range: "bytes=0-99" } });
    expect(res.status).toBe(307);
    const part = await fetch(res.headers.get("location")!, { headers: { range: "bytes=0-99" } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(payload.data.subarray(0, 100))).toBe(true);
  });

  it("answers HEAD itself (length and ETag, no URL, nothing audited), and 304 for a current copy", async () => {
    const before = (await downloads()).length;
    // as Next.js answers HEAD: with the GET handler
    const route = await import("@/app/api/v1/apps/[id]/download/route");
    const headers = new Headers({ cookie: `bazaar_session=${admin.sessionCookie}` });
    const req = new Request(new URL(`/api/v1/apps/${app.id}/download`, BASE_URL), { method: "HEAD", headers });
    const head = await route.GET(req as never, { params: Promise.resolve({ id: String(app.id) }) });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(payload.data.length));
    expect(head.headers.get("etag")).toBe(`"${payload.sha256}"`);
    expect(head.headers.get("location")).toBeNull();
    const current = await rawRequest(admin, `/api/v1/apps/${app.id}/download`, {
      headers: { "if-none-match": `"${payload.sha256}"` },
    });
    expect(current.status).toBe(304);
    expect(current.headers.get("location")).toBeNull();
    expect((await downloads()).length).toBe(before);
  });

  it("gives a user who may not use the app no URL (404), and audits nothing", async () => {
    expect((await admin.post(`/api/v1/apps/${app.id}/chmod`, { permissions: "600" })).status).toBe(204);
    try {
      await createUser(admin, "nina");
      const nina = await signIn("nina", passwordFor("nina"));
      const before = (await downloads()).length;
      const res = await rawRequest(nina, `/api/v1/apps/${app.id}/download`);
      expect(res.status).toBe(404);
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).not.toContain(s3.endpoint);
      expect((await downloads()).length).toBe(before);
    } finally {
      expect((await admin.post(`/api/v1/apps/${app.id}/chmod`, { permissions: "644" })).status).toBe(204);
    }
  });

  it("redirects a catalog's file download (public catalog) and audits it as the catalog reader's", async () => {
    expect((await admin.patch(`/api/v1/marketplaces/${bucket.id}`, { catalogExport: "public" })).status).toBe(200);
    const before = (await downloads()).length;
    const req = new Request(new URL(`/catalog/${bucket.id}/appliance/${app.id}/download/0`, BASE_URL));
    const res = await catalogRoute.GET(req, {
      params: Promise.resolve({ id: String(bucket.id), path: ["appliance", String(app.id), "download", "0"] }),
    });
    expect(res.status).toBe(307);
    const bytes = await fetch(res.headers.get("location")!);
    expect(Buffer.from(await bytes.arrayBuffer()).equals(payload.data)).toBe(true);
    const events = await downloads();
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({ actorName: "catalog reader (public)", objectId: String(app.id) });
  });

  it("switched off, streams the bytes through the portal as before", async () => {
    await setRedirect(false);
    try {
      const before = (await downloads()).length;
      const res = await rawRequest(admin, `/api/v1/apps/${app.id}/download`);
      expect(res.status).toBe(200);
      expect(res.headers.get("location")).toBeNull();
      expect(Buffer.from(await res.arrayBuffer()).equals(payload.data)).toBe(true);
      expect((await downloads()).length).toBe(before);
    } finally {
      await setRedirect(true);
    }
  });

  it("refuses a switch that is not a boolean", async () => {
    expectProblem(
      await admin.patch(`/api/v1/marketplaces/${bucket.id}`, { config: { downloadRedirect: "yes" } }),
      400,
      ["config.downloadRedirect"],
    );
  });
});
