import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { startWorker } from "@/lib/jobs/worker";
import { localZone } from "@/lib/zones/local-zone";
import { BASE_URL, expectProblem, signInAdmin, type ApiClient, type Json } from "../helpers/api";
import { apiDatastore, convertToQcow2, randomPayload } from "../support/images";
import { digests, fetchMarketFile, MiB, rawRequest, settleApp, settleJob } from "../support/markets";
import { startOriginZone, type OriginZone } from "../support/origin-zone";

/**
 * http marketplaces of another zone whose folder is on that zone's host, not this one: the
 * apps are read from the zone's endpoint (or the marketplace's BASE_URL), which a loopback
 * server stands in for. Imports, downloads and copies work as with a folder here.
 */
const work = mkdtempSync(path.join(tmpdir(), "bazaar-hosts-"));
// an 8 MiB disk with 1 MiB of data, as qcow2
execFileSync("qemu-img", ["create", "-q", "-f", "raw", path.join(work, "disk.raw"), "8M"]);
writeFileSync(path.join(work, "disk.raw"), randomPayload(MiB).data, { flag: "r+" });
const disk = convertToQcow2(path.join(work, "disk.raw"), path.join(work, "disk.qcow2"));
/** the answer a download gets within this, or it hangs */
const ANSWER_MS = 10_000;

let admin: ApiClient;
let adminId: number;
let adminsGroup: number;
let worker: ReturnType<typeof startWorker>;
let origin: OriginZone; // zone-a's portal
let zoneA: Json;
let images: Json; // a datastore of this zone
let web: { id: number }; // zone-a's http marketplace, its folder on zone-a's host
let diskApp: { id: number; name: string; storageKey: string };
let goneApp: { id: number; name: string };

const within = <T>(ms: number, what: string, p: Promise<T>) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} hangs`)), ms))]);

/** An http marketplace of `zoneId` whose folder is not on this host. */
async function foreignMarket(name: string, zoneId: number, baseUrl = "") {
  return db().marketplace.create({
    data: {
      name,
      zoneId,
      driver: "http",
      config: JSON.stringify({ publicDir: path.join(work, "elsewhere", name), baseUrl }),
      ownerId: adminId,
      groupId: adminsGroup,
      monitorDueAt: new Date(Date.now() + 3600_000),
    },
  });
}

/** A READY image app of a foreign marketplace; its bytes on the origin zone when `bytes` is given. */
async function foreignApp(market: { id: number; zoneId: number }, name: string, key: string, bytes?: Buffer) {
  if (bytes) origin.put(key, bytes);
  return db().marketplaceApp.create({
    data: {
      name,
      marketplaceId: market.id,
      zoneId: market.zoneId,
      state: "READY",
      format: "qcow2",
      sizeBytes: BigInt(disk.length),
      ...digests(disk),
      storageKey: key,
      source: `${origin.marketUrl(market.id)}/${key}`,
      imageTemplate: JSON.stringify({ type: "OS" }),
      ownerId: adminId,
      groupId: adminsGroup,
    },
  });
}

/** Imports an app into `images`; the job once it ended, and the image. */
async function importApp(appId: number, name: string) {
  const res = await admin.post(`/api/v1/apps/${appId}/import`, { datastoreId: images.id, name });
  expect(res.status, res.text).toBe(201);
  const job = await settleJob(admin, res.json.jobId);
  return { job, imageId: res.json.created[0].id as number };
}

beforeAll(async () => {
  admin = await signInAdmin();
  adminId = (await admin.get("/api/v1/session")).json.user.id;
  adminsGroup = (await db().group.findFirstOrThrow({ where: { name: "admins" } })).id;
  worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, log: () => {} });
  origin = await startOriginZone();
  const res = await admin.post("/api/v1/zones", { name: "zone-a", endpoint: origin.url });
  expect(res.status, res.text).toBe(201);
  zoneA = res.json;
  images = await apiDatastore(admin, "images");
  const market = await foreignMarket("web-a", zoneA.id);
  web = market;
  diskApp = await foreignApp(market, "disk", "app-1-0123456789ab", disk);
  goneApp = await foreignApp(market, "gone", "app-2-0123456789ab");
});

afterAll(async () => {
  await worker?.stop();
  await origin?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("an http marketplace of another zone, its folder on that zone's host", () => {
  it("is shown at its zone's endpoint, with the zone's endpoint to link to", async () => {
    const market = (await admin.get(`/api/v1/marketplaces/${web.id}`)).json;
    expect(market).toMatchObject({
      local: false,
      zone: { id: zoneA.id, name: "zone-a", endpoint: origin.url },
      location: `${origin.url}/market/${web.id}`,
    });
    expect((await admin.get(`/api/v1/apps/${diskApp.id}`)).json.zone).toEqual({
      id: zoneA.id,
      name: "zone-a",
      endpoint: origin.url,
    });
  });

  it("imports an app from the zone's endpoint, with progress and the app's checksums", async () => {
    origin.requests.length = 0;
    const { job, imageId } = await importApp(diskApp.id, "from-zone-a");
    expect(job.state, job.error).toBe("SUCCEEDED");
    expect(job).toMatchObject({ bytesDone: disk.length, bytesTotal: disk.length });
    expect((await admin.get(`/api/v1/images/${imageId}`)).json).toMatchObject({
      state: "READY",
      format: "qcow2",
      sizeBytes: disk.length,
      fromAppId: diskApp.id,
      ...digests(disk),
    });
    // looked for (one byte), then read whole
    const path = `/market/${web.id}/${diskApp.storageKey}`;
    expect(origin.requests).toEqual([
      { method: "GET", path, range: "bytes=0-0" },
      { method: "GET", path, range: undefined },
    ]);
  });

  it("downloads the app whole, by HEAD and by ranges, each answered in time", async () => {
    const url = `/api/v1/apps/${diskApp.id}/download`;
    const whole = await within(ANSWER_MS, "GET", rawRequest(admin, url));
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe(String(disk.length));
    expect(Buffer.from(await within(ANSWER_MS, "the body", whole.arrayBuffer())).equals(disk)).toBe(true);

    // Next.js answers HEAD with the GET handler, as here
    const route = await import("@/app/api/v1/apps/[id]/download/route");
    const headers = new Headers({ cookie: `bazaar_session=${admin.sessionCookie}` });
    const asHead = new Request(new URL(url, BASE_URL), { method: "HEAD", headers });
    const head = await within(
      ANSWER_MS,
      "HEAD",
      route.GET(asHead, { params: Promise.resolve({ id: String(diskApp.id) }) }),
    );
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(disk.length));
    expect(head.body).toBeNull();

    const part = await within(
      ANSWER_MS,
      "a range",
      rawRequest(admin, url, { headers: { range: "bytes=65536-131071" } }),
    );
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 65536-131071/${disk.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(disk.subarray(65536, 131072))).toBe(true);
    const tail = await within(ANSWER_MS, "the tail", rawRequest(admin, url, { headers: { range: "bytes=-10" } }));
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(disk.subarray(disk.length - 10))).toBe(true);
    // each answer first checks the stored size (a one-byte read), then reads what was asked:
    // the whole file (never past its recorded size), HEAD (nothing more), the range, the tail
    expect(origin.requests.slice(-7).map((r) => r.range)).toEqual([
      "bytes=0-0",
      `bytes=0-${disk.length - 1}`,
      "bytes=0-0",
      "bytes=0-0",
      "bytes=65536-131071",
      "bytes=0-0",
      `bytes=${disk.length - 10}-${disk.length - 1}`,
    ]);
  });

  it("fails the import of an app the zone no longer has, and answers its download with a 502 in time", async () => {
    const { job, imageId } = await importApp(goneApp.id, "from-nowhere");
    expect(job.state).toBe("FAILED");
    expect(job.error).toBe("the app's marketplace no longer has its bytes");
    expectProblem(await admin.get(`/api/v1/images/${imageId}`), 404);
    const res = await within(ANSWER_MS, "GET", rawRequest(admin, `/api/v1/apps/${goneApp.id}/download`));
    expect(res.status).toBe(502);
    expect((await res.json()).detail).toMatch(/^Marketplace web-a could not serve app gone: .*answered 404/);
  });

  it("is never asked for by this portal's own serving of the folder, which has nothing of it", async () => {
    const asked = origin.requests.length;
    const res = await fetchMarketFile(`${origin.marketUrl(web.id)}/${diskApp.storageKey}`);
    expect(res.status).toBe(404);
    expect(origin.requests.length).toBe(asked);
  });

  it("copies an app into a marketplace of this zone, whose sources are at this zone's endpoint", async () => {
    const here = await localZone();
    const before = (await admin.get(`/api/v1/zones/${here.id}`)).json.endpoint;
    // the zone's endpoint, not this process's address (it has none configured: port 3000)
    expect((await admin.patch(`/api/v1/zones/${here.id}`, { endpoint: "https://b.example" })).status).toBe(200);
    try {
      const created = await admin.post("/api/v1/marketplaces", {
        name: "web-b",
        driver: "http",
        config: { publicDir: path.join(work, "web-b") },
      });
      expect(created.status, created.text).toBe(201);
      const res = await admin.post(`/api/v1/apps/${diskApp.id}/copy`, {
        marketplaceId: created.json.id,
        name: "mirror",
      });
      expect(res.status, res.text).toBe(202);
      const copy = await settleApp(admin, res.json.app.id);
      expect(copy, copy.error).toMatchObject({ state: "READY", sizeBytes: disk.length, ...digests(disk) });
      expect(copy.source).toMatch(
        new RegExp(`^https://b\\.example/market/${created.json.id}/app-${copy.id}-[0-9a-f]{12}$`),
      );
    } finally {
      await admin.patch(`/api/v1/zones/${here.id}`, { endpoint: before });
    }
  });
});

describe("an http marketplace of a zone whose endpoint is not known", () => {
  it("fails an import at once, saying what to set; with BASE_URL it reads from there", async () => {
    const zoneC = await db().zone.create({ data: { name: "zone-c" } });
    const bare = await foreignMarket("web-c", zoneC.id);
    const app = await foreignApp(bare, "disk-c", "app-3-0123456789ab", disk);
    const failed = await importApp(app.id, "from-zone-c");
    expect(failed.job.state).toBe("FAILED");
    expect(failed.job.attempts).toBe(1);
    expect(failed.job.error).toMatch(/is not on this host.*set the marketplace's BASE_URL, or BAZAAR_PUBLIC_URL/);

    // a web server in front of zone-c's folder
    const served = await foreignMarket("web-c-served", zoneC.id, origin.marketUrl(77));
    const servedApp = await foreignApp(served, "disk-c-served", "app-4-0123456789ab", disk);
    const ok = await importApp(servedApp.id, "from-base-url");
    expect(ok.job.state, ok.job.error).toBe("SUCCEEDED");
    expect(origin.requests.at(-1)).toEqual({ method: "GET", path: "/market/77/app-4-0123456789ab", range: undefined });
  });
});
