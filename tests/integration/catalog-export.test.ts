import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as catalogRoute from "@/app/catalog/[id]/[...path]/route";
import { getConfig, setConfigForTests, type Config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { parseOneCatalog } from "@/lib/markets/catalog/one-catalog";
import { parseTemplate } from "@/lib/templates/template-text";
import { collapseCatalogSlashes } from "../../scripts/catalog-paths.mjs";
import {
  BASE_URL,
  createGroup,
  createUser,
  expectProblem,
  signIn,
  signInAdmin,
  type ApiClient,
  type Json,
} from "../helpers/api";
import { allowLoopbackUrls } from "../support/images";
import { digests, rawRequest } from "../support/markets";

/**
 * Issue 18: a marketplace served to other clouds. Its catalog is read over real HTTP by our
 * own `one` and `linuxcontainers` drivers (which read exactly what OpenNebula's `one` driver
 * and a simplestreams client read), every file downloaded and checked; read tokens, public
 * and token catalogs, and the token API's permissions.
 */

let savedConfig: Config;
let admin: ApiClient;
let server: http.Server;
let serverUrl: string;
const sockets = new Set<Socket>();
const work = mkdtempSync(path.join(tmpdir(), "bazaar-catalog-"));
const publicDir = path.join(work, "market");
let market: Json; // the exported http marketplace
const apps: Record<string, { id: number; name: string; bytes?: Buffer }> = {};

/** A catalog URL answered by the route handler, as Next.js would call it once the server collapsed its slashes. */
async function catalogFetch(
  target: string,
  opts: { method?: "GET" | "HEAD"; headers?: Record<string, string> } = {},
): Promise<Response> {
  const collapsed = collapseCatalogSlashes(target);
  const url = new URL(collapsed, BASE_URL);
  const m = /^\/catalog\/([^/]+)\/(.+)$/.exec(url.pathname);
  if (!m) throw new Error(`${target} is not a catalog path`);
  const method = opts.method ?? "GET";
  const req = new Request(url, { method, headers: opts.headers });
  const segments = m[2].split("/").map(decodeURIComponent);
  return catalogRoute[method](req, { params: Promise.resolve({ id: m[1], path: segments }) });
}

/** The catalog over real HTTP (a node server forwarding to the route handler), for the drivers. */
async function startServer() {
  server = http.createServer((req, res) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    catalogFetch(req.url ?? "/", { method: req.method === "HEAD" ? "HEAD" : "GET", headers })
      .then(async (answer) => {
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        if (!answer.body) return res.end();
        Readable.fromWeb(answer.body as import("node:stream/web").ReadableStream).pipe(res);
      })
      .catch((err: Error) => res.writeHead(500).end(err.message));
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A raw GET over HTTP, the path sent as it is (no URL normalisation): status, headers, body. */
function rawGet(pathname: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(`${serverUrl}/`, { path: pathname, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** An app of the exported marketplace, written as a publish leaves it (its bytes in the folder). */
async function seedApp(
  name: string,
  fields: Record<string, unknown> & { type?: string; bytes?: Buffer; children?: { slot: string; id: number }[] },
) {
  const { bytes, children, ...rest } = fields;
  const key = `seed-${randomBytes(6).toString("hex")}`;
  if (bytes) writeFileSync(path.join(publicDir, key), bytes);
  const d = bytes ? digests(bytes) : { md5: "", sha256: "" };
  const row = await db().marketplaceApp.create({
    data: {
      name,
      marketplaceId: market.id,
      zoneId: market.zone.id,
      ownerId: market.owner.id,
      groupId: market.group.id,
      state: "READY",
      version: "1.0",
      publisher: "Bazaar tests",
      shortDescription: `${name}, short`,
      description: `# ${name}\n\nLong text.`,
      tags: ",test,",
      hypervisor: "kvm",
      architecture: "x86_64",
      sizeBytes: BigInt(bytes?.length ?? 0),
      md5: d.md5,
      sha256: d.sha256,
      storageKey: bytes ? key : "",
      ownerRights: 6,
      groupRights: 4,
      otherRights: 4,
      ...rest,
    },
  });
  if (children?.length)
    await db().marketplaceAppChild.createMany({
      data: children.map((c, position) => ({ parentId: row.id, position, childId: c.id, slot: c.slot })),
    });
  apps[name] = { id: row.id, name, bytes };
  return row;
}

async function setExport(mode: "off" | "public" | "token", client = admin, id = market.id) {
  return client.patch(`/api/v1/marketplaces/${id}`, { catalogExport: mode });
}

beforeAll(async () => {
  savedConfig = getConfig();
  allowLoopbackUrls();
  admin = await signInAdmin();
  const res = await admin.post("/api/v1/marketplaces", { name: "shared", driver: "http", config: { publicDir } });
  expect(res.status, res.text).toBe(201);
  market = res.json;
  expect(market.catalog).toEqual({ export: "off", baseUrl: null });

  await seedApp("Alpine disk", {
    bytes: randomBytes(192 * 1024),
    format: "qcow2",
    imageTemplate: JSON.stringify({ type: "OS", devPrefix: "vd" }),
    vmTemplate: 'CPU = "1"\nMEMORY = "256"\n',
  });
  await seedApp("Data disk", {
    bytes: randomBytes(64 * 1024),
    format: "raw",
    architecture: "",
    imageTemplate: JSON.stringify({ type: "DATABLOCK" }),
  });
  await seedApp("Web Server", {
    type: "VMTEMPLATE",
    vmTemplate: `CPU = "2"\nMEMORY = "512"\nDISK = [\n  APP_ID = "${apps["Alpine disk"].id}"\n]\nDISK = [\n  APP_ID = "${apps["Data disk"].id}"\n]\nCONTEXT = [\n  NETWORK = "YES"\n]\n`,
    children: [
      { slot: "DISK 0", id: apps["Alpine disk"].id },
      { slot: "DISK 1", id: apps["Data disk"].id },
    ],
  });
  await seedApp("Web Service", {
    type: "SERVICE_TEMPLATE",
    serviceTemplate: JSON.stringify({
      name: "Web Service",
      deployment: "straight",
      roles: [{ name: "frontend", cardinality: 2, app_id: apps["Web Server"].id }],
    }),
    children: [{ slot: "frontend", id: apps["Web Server"].id }],
  });
  // not for everyone: only a token catalog lists it
  await seedApp("Private disk", { bytes: randomBytes(32 * 1024), format: "qcow2", otherRights: 0 });
  // never listed
  await seedApp("Disabled disk", { bytes: randomBytes(1024), format: "raw", state: "DISABLED" });
  await seedApp("Locked disk", { bytes: randomBytes(1024), format: "raw", state: "LOCKED" });
  await seedApp("Broken VM", {
    type: "VMTEMPLATE",
    vmTemplate: 'CPU = "1"\n',
    children: [{ slot: "DISK 0", id: apps["Disabled disk"].id }],
  });
  await startServer();
});

afterAll(async () => {
  setConfigForTests(savedConfig);
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(work, { recursive: true, force: true });
});

const LISTED_PUBLIC = ["Alpine disk", "Data disk", "Web Server", "Web Service"];

describe("exporting a marketplace", () => {
  it("is switched on with PATCH catalogExport (MANAGE), and the DTO names the catalog", async () => {
    expectProblem(await setExport("sideways" as "off"), 400, ["catalogExport"]);
    const res = await setExport("public");
    expect(res.status, res.text).toBe(200);
    expect(res.json.catalog.export).toBe("public");
    expect(res.json.catalog.baseUrl).toMatch(new RegExp(`/catalog/${market.id}$`));
    expect((await admin.get(`/api/v1/marketplaces/${market.id}`)).json.catalog).toEqual(res.json.catalog);
  });

  it("refuses to export a public catalog (400 naming catalogExport)", async () => {
    const one = await admin.post("/api/v1/marketplaces", {
      name: "upstream",
      driver: "one",
      config: { endpoint: `${serverUrl}/catalog/${market.id}` },
    });
    expect(one.status, one.text).toBe(201);
    expectProblem(await setExport("public", admin, one.json.id), 400, ["catalogExport"]);
    expect((await admin.delete(`/api/v1/marketplaces/${one.json.id}?deleteApps=true`)).status).toBe(204);
  });
});

describe("the OpenNebula catalog", () => {
  it("answers /appliance with every field the one driver reads (§3.4), only READY apps everyone may use", async () => {
    const res = await catalogFetch(`/catalog/${market.id}/appliance`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as Json;
    expect(body.sEcho).toBe(1);
    const byName = Object.fromEntries(body.appliances.map((a: Json) => [a.name, a]));
    expect(Object.keys(byName).sort()).toEqual(LISTED_PUBLIC);

    const alpine = byName["Alpine disk"];
    const bytes = apps["Alpine disk"].bytes!;
    expect(alpine).toEqual({
      _id: { $oid: String(apps["Alpine disk"].id) },
      name: "Alpine disk",
      type: "IMAGE",
      version: "1.0",
      publisher: "Bazaar tests",
      format: "qcow2",
      short_description: "Alpine disk, short",
      description: "# Alpine disk\n\nLong text.",
      tags: ["test"],
      "os-arch": "x86_64",
      hypervisor: "kvm",
      creation_time: expect.any(Number),
      opennebula_template: JSON.stringify({ CPU: "1", MEMORY: "256" }),
      files: [
        {
          name: "Alpine disk.qcow2",
          size: bytes.length,
          ...digests(bytes),
          type: "OS",
          dev_prefix: "vd",
        },
      ],
      logo: "",
    });
    expect(Math.abs(alpine.creation_time - Date.now() / 1000)).toBeLessThan(600);
    expect(byName["Data disk"]).toMatchObject({ "os-arch": "", files: [{ type: "DATABLOCK" }] });

    const vm = byName["Web Server"];
    expect(vm).toMatchObject({ type: "VMTEMPLATE", format: "", files: [], disks: ["Alpine disk", "Data disk"] });
    expect(JSON.parse(vm.opennebula_template)).toEqual({ CPU: "2", MEMORY: "512", CONTEXT: { NETWORK: "YES" } });
    const svc = byName["Web Service"];
    expect(svc).toMatchObject({ type: "SERVICE_TEMPLATE", files: [], roles: { frontend: "Web Server" } });
    expect(JSON.parse(svc.opennebula_template)).toEqual({
      name: "Web Service",
      deployment: "straight",
      roles: [{ name: "frontend", cardinality: 2 }],
    });

    // read as OpenNebula's one driver reads it: nothing skipped
    const parsed = parseOneCatalog(body, { endpoint: `${serverUrl}/catalog/${market.id}` });
    expect(parsed.skipped).toEqual([]);
    expect(parsed.entries.map((e) => e.name).sort()).toEqual(LISTED_PUBLIC);

    // one appliance
    const single = await catalogFetch(`/catalog/${market.id}/appliance/${apps["Web Server"].id}`);
    expect(single.status).toBe(200);
    expect(await single.json()).toEqual(vm);
    for (const name of ["Private disk", "Disabled disk", "Locked disk", "Broken VM"]) {
      expect((await catalogFetch(`/catalog/${market.id}/appliance/${apps[name].id}`)).status).toBe(404);
    }
  });

  it("answers //appliance (an ENDPOINT ending in '/') with the same 200, never a redirect", async () => {
    expect(collapseCatalogSlashes(`/catalog/${market.id}//appliance`)).toBe(`/catalog/${market.id}/appliance`);
    const direct = await catalogFetch(`/catalog/${market.id}//appliance`);
    expect(direct.status).toBe(200);
    const overHttp = await rawGet(`/catalog/${market.id}//appliance`);
    expect(overHttp.status).toBe(200);
    expect(JSON.parse(overHttp.body.toString()).appliances).toHaveLength(LISTED_PUBLIC.length);
    // the handler also reads empty segments as nothing
    const res = await catalogRoute.GET(new Request(`${BASE_URL}/catalog/${market.id}//appliance`), {
      params: Promise.resolve({ id: String(market.id), path: ["", "appliance"] }),
    });
    expect(res.status).toBe(200);
  });

  it("serves every file through /appliance/<id>/download/<n> with its md5, Content-Length, ranges and the sha256 ETag", async () => {
    for (const name of ["Alpine disk", "Data disk"]) {
      const { id, bytes } = apps[name];
      const res = await catalogFetch(`/catalog/${market.id}/appliance/${id}/download/0`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBe(String(bytes!.length));
      expect(res.headers.get("accept-ranges")).toBe("bytes");
      expect(res.headers.get("etag")).toBe(`"${digests(bytes!).sha256}"`);
      expect(res.headers.get("content-disposition")).toContain("attachment");
      expect(digests(Buffer.from(await res.arrayBuffer())).md5).toBe(digests(bytes!).md5);
      const head = await catalogFetch(`/catalog/${market.id}/appliance/${id}/download/0`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-length")).toBe(String(bytes!.length));
      const part = await catalogFetch(`/catalog/${market.id}/appliance/${id}/download/0`, {
        headers: { range: "bytes=10-19" },
      });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes!.subarray(10, 20));
    }
    // a composite app's files are its parts; file 1 of an image does not exist
    expect((await catalogFetch(`/catalog/${market.id}/appliance/${apps["Web Server"].id}/download/0`)).status).toBe(
      404,
    );
    expect((await catalogFetch(`/catalog/${market.id}/appliance/${apps["Alpine disk"].id}/download/1`)).status).toBe(
      404,
    );
    expect((await catalogFetch(`/catalog/${market.id}/appliance/${apps["Private disk"].id}/download/0`)).status).toBe(
      404,
    );
  });

  it("is synced by our own `one` driver over HTTP as OpenNebula would: names, types, versions, sizes, md5, parts relinked; downloads match", async () => {
    // an ENDPOINT that ends in "/", as admins write it
    const res = await admin.post("/api/v1/marketplaces", {
      name: "mirror",
      driver: "one",
      config: { endpoint: `${serverUrl}/catalog/${market.id}/` },
    });
    expect(res.status, res.text).toBe(201);
    const mirror = res.json;
    const mon = await admin.post(`/api/v1/marketplaces/${mirror.id}/monitor`);
    expect(mon.status, mon.text).toBe(200);
    expect(mon.json.monitorError).toBe("");
    expect(mon.json.catalogSkipped).toEqual([]);

    const list = await admin.get(`/api/v1/apps?marketplaceId=${mirror.id}&perPage=100`);
    expect(list.status, list.text).toBe(200);
    const synced = Object.fromEntries(list.json.items.map((a: Json) => [a.name, a]));
    expect(Object.keys(synced).sort()).toEqual(LISTED_PUBLIC);
    for (const name of ["Alpine disk", "Data disk"]) {
      const bytes = apps[name].bytes!;
      expect(synced[name]).toMatchObject({
        type: "IMAGE",
        state: "READY",
        version: "1.0",
        sizeBytes: bytes.length,
        ...digests(bytes),
        upstreamKey: `${apps[name].id}@1.0`,
      });
      // the synced app's bytes come from our catalog, through its download URL
      const dl = await rawRequest(admin, `/api/v1/apps/${synced[name].id}/download`);
      expect(dl.status).toBe(200);
      expect(digests(Buffer.from(await dl.arrayBuffer()))).toEqual(digests(bytes));
    }
    expect(synced["Alpine disk"]).toMatchObject({ format: "qcow2", architecture: "x86_64", hypervisor: "kvm" });
    expect(synced["Alpine disk"].imageTemplate).toMatchObject({ type: "OS", devPrefix: "vd" });
    expect(synced["Data disk"].imageTemplate).toMatchObject({ type: "DATABLOCK" });

    const vm = synced["Web Server"];
    expect(vm).toMatchObject({ type: "VMTEMPLATE", version: "1.0", childCount: 2 });
    const vmChildren = await db().marketplaceAppChild.findMany({
      where: { parentId: vm.id },
      orderBy: { position: "asc" },
    });
    expect(vmChildren.map((c) => c.childId)).toEqual([synced["Alpine disk"].id, synced["Data disk"].id]);
    const vmTemplate = parseTemplate(vm.vmTemplate);
    expect(vmTemplate.filter((a) => a.key === "DISK").map((a) => (a.value as Record<string, string>).APP_ID)).toEqual([
      String(synced["Alpine disk"].id),
      String(synced["Data disk"].id),
    ]);
    expect(vmTemplate).toEqual(
      expect.arrayContaining([
        { key: "CPU", value: "2" },
        { key: "MEMORY", value: "512" },
        { key: "CONTEXT", value: { NETWORK: "YES" } },
      ]),
    );

    const svc = synced["Web Service"];
    expect(svc).toMatchObject({ type: "SERVICE_TEMPLATE", childCount: 1 });
    const body = JSON.parse(svc.serviceTemplate);
    expect(body).toMatchObject({ name: "Web Service", deployment: "straight" });
    expect(body.roles).toEqual([{ name: "frontend", cardinality: 2, app_id: vm.id }]);

    expect((await admin.delete(`/api/v1/marketplaces/${mirror.id}?deleteApps=true`)).status).toBe(204);
  });
});

describe("simplestreams", () => {
  it("reads index.json → images.json → the file, sha256 equal", async () => {
    const index = await rawGet(`/catalog/${market.id}/streams/v1/index.json`);
    expect(index.status).toBe(200);
    const indexJson = JSON.parse(index.body.toString());
    expect(indexJson.format).toBe("index:1.0");
    const imagesPath = indexJson.index.images.path;
    expect(imagesPath).toBe("streams/v1/images.json");
    const images = JSON.parse((await rawGet(`/catalog/${market.id}/${imagesPath}`)).body.toString());
    expect(images).toMatchObject({ format: "products:1.0", datatype: "image-downloads" });
    const products = Object.values(images.products) as Json[];
    // the qcow2 disks everyone may use: the raw one and the private one are not offered
    expect(products.map((p) => p.os)).toEqual(["Alpine disk"]);
    const [version] = Object.values(products[0].versions) as Json[];
    const item = version.items["disk-kvm.img"];
    const bytes = apps["Alpine disk"].bytes!;
    expect(item).toMatchObject({ ftype: "disk-kvm.img", size: bytes.length, sha256: digests(bytes).sha256 });
    const file = await rawGet(`/catalog/${market.id}/${item.path}`);
    expect(file.status).toBe(200);
    expect(file.headers["content-length"]).toBe(String(bytes.length));
    expect(createHash("sha256").update(file.body).digest("hex")).toBe(item.sha256);

    // Incus lists a VM version with its metadata tarball, named by sha256(metadata ‖ disk)
    const metaItem = version.items["lxd.tar.xz"];
    expect(metaItem).toMatchObject({ ftype: "lxd.tar.xz", path: expect.stringMatching(/lxd\.tar\.xz$/) });
    const meta = await rawGet(`/catalog/${market.id}/${metaItem.path}`);
    expect(meta.status).toBe(200);
    expect(meta.body.length).toBe(metaItem.size);
    expect(createHash("sha256").update(meta.body).digest("hex")).toBe(metaItem.sha256);
    expect(meta.body.subarray(257, 262).toString()).toBe("ustar");
    expect(meta.body.toString("latin1")).toContain('architecture: "x86_64"');
    const combined = createHash("sha256").update(meta.body).update(file.body).digest("hex");
    expect(metaItem["combined_disk-kvm-img_sha256"]).toBe(combined);
    // kept on the app: no instance reads the disk for it again
    const kept = await db().marketplaceApp.findMany({ where: { incusFingerprint: { endsWith: `:${combined}` } } });
    expect(kept.map((a) => a.incusFingerprint)).toEqual([`${metaItem.sha256}:${combined}`]);
  });

  it("is read by our own linuxcontainers driver", async () => {
    const res = await admin.post("/api/v1/marketplaces", {
      name: "streams",
      driver: "linuxcontainers",
      config: { endpoint: `${serverUrl}/catalog/${market.id}/`, architectures: ["amd64"] },
    });
    expect(res.status, res.text).toBe(201);
    const mon = await admin.post(`/api/v1/marketplaces/${res.json.id}/monitor`);
    expect(mon.status, mon.text).toBe(200);
    expect(mon.json.monitorError).toBe("");
    const list = await admin.get(`/api/v1/apps?marketplaceId=${res.json.id}&perPage=100`);
    const bytes = apps["Alpine disk"].bytes!;
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0]).toMatchObject({
      format: "qcow2",
      sizeBytes: bytes.length,
      sha256: digests(bytes).sha256,
    });
    const dl = await rawRequest(admin, `/api/v1/apps/${list.json.items[0].id}/download`);
    expect(dl.status).toBe(200);
    expect(digests(Buffer.from(await dl.arrayBuffer())).sha256).toBe(digests(bytes).sha256);
    expect((await admin.delete(`/api/v1/marketplaces/${res.json.id}?deleteApps=true`)).status).toBe(204);
  });
});

describe("read tokens", () => {
  let uma: ApiClient; // sees the marketplace (USE), may not manage it
  let ned: ApiClient; // does not see it at all
  let token: string;
  let tokenId: number;

  beforeAll(async () => {
    const readers = await createGroup(admin, "readers");
    uma = await signIn(
      "uma",
      (await createUser(admin, "uma", { primaryGroupId: readers, groupIds: [readers] })).password,
    );
    ned = await signIn("ned", (await createUser(admin, "ned")).password);
    expect((await admin.post(`/api/v1/marketplaces/${market.id}/chown`, { groupId: readers })).status).toBe(204);
    expect((await admin.post(`/api/v1/marketplaces/${market.id}/chmod`, { permissions: "640" })).status).toBe(204);
  });

  it("serving a catalog and its tokens take ADMIN on the marketplace: MANAGE (a user's own marketplace) is not enough", async () => {
    // a catalog lists apps whatever each one's permissions: an admin's switch, not a manager's
    expect((await admin.post(`/api/v1/marketplaces/${market.id}/chmod`, { permissions: "660" })).status).toBe(204);
    const patch = await uma.patch(`/api/v1/marketplaces/${market.id}`, { catalogExport: "off" });
    expectProblem(patch, 403);
    expect(patch.json.detail).toMatch(/serveCatalog needs ADMIN permission/);
    expectProblem(await uma.post(`/api/v1/marketplaces/${market.id}/catalog-tokens`, { name: "mine" }), 403);
    expectProblem(await uma.get(`/api/v1/marketplaces/${market.id}/catalog-tokens`), 403);
    // other edits MANAGE allows; the catalog stays as it is
    expect((await uma.patch(`/api/v1/marketplaces/${market.id}`, { description: "by uma" })).status).toBe(200);
    expect((await admin.get(`/api/v1/marketplaces/${market.id}`)).json.catalog.export).not.toBe("off");
    // with the group's ADMIN bit, the group's members may
    expect((await admin.post(`/api/v1/marketplaces/${market.id}/chmod`, { permissions: "670" })).status).toBe(204);
    const listed = await uma.get(`/api/v1/marketplaces/${market.id}/catalog-tokens`);
    expect(listed.status).toBe(200);
    expect((await admin.post(`/api/v1/marketplaces/${market.id}/chmod`, { permissions: "640" })).status).toBe(204);
  });

  it("are created by whoever may manage the marketplace; the secret is shown once and only its hash is stored", async () => {
    expectProblem(await uma.post(`/api/v1/marketplaces/${market.id}/catalog-tokens`, { name: "oned" }), 403);
    expectProblem(await ned.post(`/api/v1/marketplaces/${market.id}/catalog-tokens`, { name: "oned" }), 404);
    expectProblem(await uma.get(`/api/v1/marketplaces/${market.id}/catalog-tokens`), 403);
    expectProblem(await ned.get(`/api/v1/marketplaces/${market.id}/catalog-tokens`), 404);
    expectProblem(await admin.post(`/api/v1/marketplaces/${market.id}/catalog-tokens`, { name: "" }), 400, ["name"]);
    expectProblem(await admin.post(`/api/v1/marketplaces/${market.id}/catalog-tokens`, {}), 400, ["name"]);

    const res = await admin.post(`/api/v1/marketplaces/${market.id}/catalog-tokens`, { name: "oned" });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(Number),
      name: "oned",
      prefix: res.json.token.slice(0, 8),
      createdAt: expect.any(String),
      lastUsedAt: null,
      token: expect.stringMatching(/^bzc_[A-Za-z0-9_-]{43}$/),
    });
    token = res.json.token;
    tokenId = res.json.id;
    expectProblem(await admin.post(`/api/v1/marketplaces/${market.id}/catalog-tokens`, { name: "oned" }), 409, [
      "name",
    ]);

    const list = await admin.get(`/api/v1/marketplaces/${market.id}/catalog-tokens`);
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([
      { id: tokenId, name: "oned", prefix: token.slice(0, 8), createdAt: expect.any(String), lastUsedAt: null },
    ]);
    expect(list.text).not.toContain(token);
    const row = await db().catalogToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(row.secretHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token.slice(8));
  });

  it("a token catalog needs one: as a path segment or a basic-auth password; every READY app is listed", async () => {
    expect((await setExport("token")).json.catalog.export).toBe("token");
    const names = async (res: Response) =>
      ((await res.json()) as Json).appliances.map((a: Json) => a.name as string).sort();

    const none = await catalogFetch(`/catalog/${market.id}/appliance`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Basic realm="bazaar catalog"');
    const wrong = await catalogFetch(`/catalog/${market.id}/t/bzc_${"x".repeat(43)}/appliance`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Basic realm="bazaar catalog"');
    const wrongBasic = await catalogFetch(`/catalog/${market.id}/appliance`, {
      headers: { authorization: `Basic ${Buffer.from("oneadmin:nope").toString("base64")}` },
    });
    expect(wrongBasic.status).toBe(401);

    const all = [...LISTED_PUBLIC, "Private disk"].sort();
    const byPath = await catalogFetch(`/catalog/${market.id}/t/${token}/appliance`);
    expect(byPath.status).toBe(200);
    expect(await names(byPath)).toEqual(all);
    const byBasic = await catalogFetch(`/catalog/${market.id}/appliance`, {
      headers: { authorization: `Basic ${Buffer.from(`oneadmin:${token}`).toString("base64")}` },
    });
    expect(byBasic.status).toBe(200);
    expect(await names(byBasic)).toEqual(all);
    const dl = await catalogFetch(`/catalog/${market.id}/t/${token}/appliance/${apps["Private disk"].id}/download/0`);
    expect(dl.status).toBe(200);
    expect(digests(Buffer.from(await dl.arrayBuffer())).md5).toBe(digests(apps["Private disk"].bytes!).md5);
    expect((await catalogFetch(`/catalog/${market.id}/t/${token}/streams/v1/images.json`)).status).toBe(200);

    const used = await admin.get(`/api/v1/marketplaces/${market.id}/catalog-tokens`);
    expect(used.json.items[0].lastUsedAt).not.toBeNull();
  });

  it("the one driver reads a token catalog with the token in its ENDPOINT", async () => {
    const res = await admin.post("/api/v1/marketplaces", {
      name: "private-mirror",
      driver: "one",
      config: { endpoint: `${serverUrl}/catalog/${market.id}/t/${token}` },
    });
    expect(res.status, res.text).toBe(201);
    const mon = await admin.post(`/api/v1/marketplaces/${res.json.id}/monitor`);
    expect(mon.json.monitorError).toBe("");
    const list = await admin.get(`/api/v1/apps?marketplaceId=${res.json.id}&perPage=100`);
    const priv = list.json.items.find((a: Json) => a.name === "Private disk");
    expect(priv).toBeDefined();
    const dl = await rawRequest(admin, `/api/v1/apps/${priv.id}/download`);
    expect(dl.status).toBe(200);
    expect(digests(Buffer.from(await dl.arrayBuffer())).md5).toBe(digests(apps["Private disk"].bytes!).md5);
    expect((await admin.delete(`/api/v1/marketplaces/${res.json.id}?deleteApps=true`)).status).toBe(204);
  });

  it("refuses a damaged file instead of serving it", async () => {
    const row = await db().marketplaceApp.findUniqueOrThrow({ where: { id: apps["Private disk"].id } });
    writeFileSync(path.join(publicDir, row.storageKey), randomBytes(100));
    const res = await catalogFetch(`/catalog/${market.id}/t/${token}/appliance/${row.id}/download/0`);
    expect(res.status).toBe(502);
    writeFileSync(path.join(publicDir, row.storageKey), apps["Private disk"].bytes!);
  });

  it("a revoked token stops working; only a manager revokes", async () => {
    expectProblem(await uma.delete(`/api/v1/marketplaces/${market.id}/catalog-tokens/${tokenId}`), 403);
    expectProblem(await ned.delete(`/api/v1/marketplaces/${market.id}/catalog-tokens/${tokenId}`), 404);
    expectProblem(await admin.delete(`/api/v1/marketplaces/${market.id}/catalog-tokens/999999`), 404);
    expect((await admin.delete(`/api/v1/marketplaces/${market.id}/catalog-tokens/${tokenId}`)).status).toBe(204);
    const res = await catalogFetch(`/catalog/${market.id}/t/${token}/appliance`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="bazaar catalog"');
    expect((await admin.get(`/api/v1/marketplaces/${market.id}/catalog-tokens`)).json.items).toEqual([]);
  });

  it("off, disabled or unknown: 404 on every catalog URL", async () => {
    expect((await setExport("off")).json.catalog).toEqual({ export: "off", baseUrl: null });
    for (const p of ["appliance", `appliance/${apps["Alpine disk"].id}/download/0`, "streams/v1/index.json"]) {
      expect((await catalogFetch(`/catalog/${market.id}/${p}`)).status).toBe(404);
    }
    await setExport("public");
    expect((await admin.patch(`/api/v1/marketplaces/${market.id}`, { enabled: false })).status).toBe(200);
    expect((await catalogFetch(`/catalog/${market.id}/appliance`)).status).toBe(404);
    expect((await admin.patch(`/api/v1/marketplaces/${market.id}`, { enabled: true })).status).toBe(200);
    expect((await catalogFetch(`/catalog/${market.id}/appliance`)).status).toBe(200);
    for (const id of ["999999", "0", "abc", "99999999999"]) {
      expect((await catalogFetch(`/catalog/${id}/appliance`)).status).toBe(404);
    }
    expect((await catalogFetch(`/catalog/${market.id}/nothing/here`)).status).toBe(404);
  });
});
