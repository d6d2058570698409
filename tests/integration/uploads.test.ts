import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { startWorker } from "@/lib/jobs/worker";
import { localZone } from "@/lib/zones/local-zone";
import * as uploads from "@/app/api/v1/uploads/route";
import * as upload from "@/app/api/v1/uploads/[id]/route";
import { ApiClient, BASE_URL, createUser, expectProblem, signIn, signInAdmin, type Json } from "../helpers/api";
import { randomPayload, waitFor } from "../support/images";

/** Resumable uploads over the tus protocol: interrupted, resumed, verified, then imported. */
let admin: ApiClient;
let worker: ReturnType<typeof startWorker>;

beforeAll(async () => {
  admin = await signInAdmin();
  worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, log: () => {} });
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
    const ds = (await admin.post("/api/v1/datastores", { name: "small", limitMb: 1 })).json;
    expectProblem(
      await admin.post("/api/v1/images", {
        source: "upload",
        name: "big",
        datastoreId: ds.id,
        size: 5 * 1024 * 1024,
        type: "DATABLOCK",
      }),
      507,
      ["size"],
    );
    const ok = await newUploadImage(admin, ds.id, "fits", 1000);
    expect(ok.state).toBe("INIT");
    const res = await tus(admin, "POST", "/api/v1/uploads", {
      "upload-length": String(2 * 1024 * 1024),
      "upload-metadata": meta({ imageId: String(ok.id) }),
    });
    expect(res.status).toBe(507);
    expect(await res.text()).toMatch(/^not enough space in datastore small/);
  });
});
