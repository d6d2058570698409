import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getConfig, setConfigForTests, type Config } from "@/lib/config";
import { parseTemplate } from "@/lib/templates/template-text";
import {
  ApiClient,
  createGroup,
  createUser,
  expectProblem,
  signIn,
  signInAdmin,
  type ApiResponse,
  type Json,
} from "../helpers/api";
import {
  IDS,
  addAppliance,
  applianceOf,
  patchAppliance,
  removeAppliance,
  requestsFor,
  resetCatalog,
  setFailure,
  startCatalogServer,
  type CatalogFile,
  type CatalogServer,
} from "../support/catalog-server";
import { apiDatastore, withWorker } from "../support/images";
import { closedPort, rawRequest, settleJob, templateNamed } from "../support/markets";

/**
 * Public catalogs (issue 15) through the API, against a local catalog server: the seeded
 * marketplaces, creating `one` and `linuxcontainers` marketplaces, what a monitor makes of the
 * catalog (identity, names, rights, composite apps, skipped entries), upstream changes and
 * removals, failures that must change nothing, what users may do with the apps, imports of
 * every app type with their checksums verified, and the URL policy on redirects.
 */

// read by tests/setup/db.ts when it boots this file's fresh database: seed the public catalogs
process.env.BAZAAR_PUBLIC_MARKETPLACES = "true";

let cat: CatalogServer; // the catalog the marketplaces read
let other: CatalogServer; // the same files on another origin (another port)
let files: Record<string, CatalogFile>;
let admin: ApiClient;
let adminId: number;
let uma: ApiClient; // a plain user (default rights)
let ds: Json; // a datastore uma may use
let market: Json; // the `one` marketplace most tests monitor
let savedConfig: Config;

/** What the default catalog offers: two versions of one name get their version in the name. */
const OFFERED = [
  "Alpine Linux 3.20 (1.0)",
  "Alpine Linux 3.20 (2.0)",
  "Broken checksum",
  "DB disk",
  "Database",
  "Web OS disk",
  "Web Server",
  "Web Service",
  "Web data disk",
].sort();

beforeAll(async () => {
  savedConfig = getConfig();
  // the catalog is on loopback: only the trust in a marketplace's own endpoint lets it through
  expect(savedConfig.urlAllow).toEqual([]);
  cat = await startCatalogServer();
  files = cat.state.files;
  other = await startCatalogServer({ files });
  admin = await signInAdmin();
  adminId = (await admin.get("/api/v1/session")).json.user.id;
  uma = await signIn("uma", (await createUser(admin, "uma")).password);
  ds = await apiDatastore(admin, "images");
  expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "644" })).status).toBe(204);
});

afterAll(async () => {
  setConfigForTests(savedConfig);
  delete process.env.BAZAAR_PUBLIC_MARKETPLACES;
  await cat?.close();
  await other?.close();
});

async function appsOf(client: ApiClient, marketplaceId: number): Promise<Json[]> {
  const res = await client.get(`/api/v1/apps?marketplaceId=${marketplaceId}&perPage=200&sort=id&order=asc`);
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

const namesOf = (apps: Json[]) => apps.map((a) => a.name as string).sort();

async function appNamed(marketplaceId: number, name: string): Promise<Json> {
  const found = (await appsOf(admin, marketplaceId)).find((a) => a.name === name);
  if (!found) throw new Error(`marketplace ${marketplaceId} has no app named ${name}`);
  const res = await admin.get(`/api/v1/apps/${found.id}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

/** POST /monitor as the admin; the marketplace as it answers. */
async function monitor(id: number): Promise<Json> {
  const res = await admin.post(`/api/v1/marketplaces/${id}/monitor`);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function marketNamed(client: ApiClient, name: string): Promise<Json | undefined> {
  const res = await client.get(`/api/v1/marketplaces?perPage=200`);
  expect(res.status, res.text).toBe(200);
  return res.json.items.find((m: Json) => m.name === name);
}

/** A successful monitor; otherwise shows the end of the stored error, which can be long. */
function expectSynced(m: Json) {
  const error: string = m.monitorError;
  expect(error.length > 400 ? `…${error.slice(-400)}` : error, "monitorError").toBe("");
}

/** A create or update refused because the endpoint could not be read: 400 or 502, naming config.endpoint. */
function expectEndpointRefused(res: ApiResponse) {
  expect([400, 502], res.text).toContain(res.status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.json.invalid_params?.map((p: Json) => p.name)).toContain("config.endpoint");
}

/** The catalog back to its default, monitored until the apps are exactly those it offers. */
async function backToDefault() {
  resetCatalog(cat.state);
  // leftovers of a test go at their third miss
  for (let i = 0; i < 3; i++) expectSynced(await monitor(market.id));
  expect(namesOf(await appsOf(admin, market.id))).toEqual(OFFERED);
}

describe("the seeded public marketplaces", () => {
  it("a new installation has OpenNebula Public (enabled) and Linux Containers (disabled), owned by the admin, usable by every user", async () => {
    const one = await marketNamed(uma, "OpenNebula Public");
    const lxc = await marketNamed(uma, "Linux Containers");
    const everyone = {
      octal: "644",
      owner: { use: true, manage: true, admin: false },
      group: { use: true, manage: false, admin: false },
      other: { use: true, manage: false, admin: false },
    };
    expect(one).toMatchObject({
      driver: "one",
      enabled: true,
      public: true,
      config: { endpoint: "https://marketplace.opennebula.io", version: "7.4" },
      owner: { id: adminId },
      permissions: everyone,
    });
    expect(lxc).toMatchObject({
      driver: "linuxcontainers",
      enabled: false,
      public: true,
      config: { endpoint: "https://images.linuxcontainers.org" },
      owner: { id: adminId },
      permissions: everyone,
    });
  });

  it("an admin points OpenNebula Public at a mirror: the endpoint is read, and the next monitor syncs from there", async () => {
    const seeded = (await marketNamed(admin, "OpenNebula Public"))!;
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    expectEndpointRefused(
      await admin.patch(`/api/v1/marketplaces/${seeded.id}`, { config: { endpoint: unreachable } }),
    );
    expect((await admin.get(`/api/v1/marketplaces/${seeded.id}`)).json.config.endpoint).toBe(
      "https://marketplace.opennebula.io",
    );

    const res = await admin.patch(`/api/v1/marketplaces/${seeded.id}`, { config: { endpoint: cat.url } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.config).toMatchObject({ endpoint: cat.url, version: "7.4" });
    const after = await monitor(seeded.id);
    expectSynced(after);
    expect(namesOf(await appsOf(admin, seeded.id))).toEqual(OFFERED);
    expect(requestsFor(cat.state, "/appliance").at(-1)?.userAgent).toBe("OpenNebula 7.4 (Market Driver)");
  });
});

describe("creating a `one` marketplace", () => {
  it("is for admins only: a user who may create marketplaces gets 403, and the endpoint is not asked", async () => {
    const makers = await createGroup(admin, "market-makers", { createRights: ["MARKETPLACE"] });
    const mia = await signIn(
      "mia",
      (await createUser(admin, "mia", { primaryGroupId: makers, groupIds: [makers] })).password,
    );
    const asked = requestsFor(cat.state, "/appliance").length;
    const body = { name: "mias-mirror", driver: "one", config: { endpoint: cat.url, version: "7.4" } };
    expectProblem(await mia.post("/api/v1/marketplaces", body), 403);
    expectProblem(await uma.post("/api/v1/marketplaces", { ...body, name: "umas-mirror" }), 403);
    const lxc = { name: "mias-lxc", driver: "linuxcontainers", config: { endpoint: cat.url } };
    expectProblem(await mia.post("/api/v1/marketplaces", lxc), 403);
    expect(requestsFor(cat.state, "/appliance").length).toBe(asked);
    expect(await marketNamed(admin, "mias-mirror")).toBeUndefined();
  });

  it("the endpoint is read at creation: unreachable, HTTP 500 or not JSON is refused naming config.endpoint", async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const create = (endpoint: string) =>
      admin.post("/api/v1/marketplaces", {
        name: "broken-mirror",
        driver: "one",
        config: { endpoint, version: "7.4" },
      });
    expectEndpointRefused(await create(unreachable));
    try {
      setFailure(cat.state, "500");
      expectEndpointRefused(await create(cat.url));
      setFailure(cat.state, "garbage");
      expectEndpointRefused(await create(cat.url));
    } finally {
      setFailure(cat.state, "none");
    }
    expect(await marketNamed(admin, "broken-mirror")).toBeUndefined();
  });

  it("an admin creates one; the catalog is asked as `OpenNebula <version> (Market Driver)`", async () => {
    const res = await admin.post("/api/v1/marketplaces", {
      name: "fixtures",
      driver: "one",
      config: { endpoint: cat.url, version: "7.4" },
    });
    expect(res.status, res.text).toBe(201);
    market = res.json;
    expect(market).toMatchObject({
      driver: "one",
      public: true,
      enabled: true,
      config: { endpoint: cat.url, version: "7.4" },
      capabilities: { create: false, delete: false, read: true },
    });
    expect(requestsFor(cat.state, "/appliance").at(-1)?.userAgent).toBe("OpenNebula 7.4 (Market Driver)");
  });

  it("the version picks the catalog the server answers; without one it is 7.4", async () => {
    const legacy = await admin.post("/api/v1/marketplaces", {
      name: "fixtures-6.10",
      driver: "one",
      config: { endpoint: cat.url, version: "6.10" },
    });
    expect(legacy.status, legacy.text).toBe(201);
    expectSynced(await monitor(legacy.json.id));
    expect(requestsFor(cat.state, "/appliance").at(-1)?.userAgent).toBe("OpenNebula 6.10 (Market Driver)");
    const apps = await appsOf(admin, legacy.json.id);
    expect(apps).toMatchObject([{ name: "Alpine Linux 3.18", version: "0.9", upstreamKey: `${IDS.legacy}@0.9` }]);

    const plain = await admin.post("/api/v1/marketplaces", {
      name: "fixtures-default",
      driver: "one",
      config: { endpoint: cat.url },
    });
    expect(plain.status, plain.text).toBe(201);
    expect(plain.json.config).toMatchObject({ endpoint: cat.url, version: "7.4" });
    expect(requestsFor(cat.state, "/appliance").at(-1)?.userAgent).toBe("OpenNebula 7.4 (Market Driver)");

    // deleting a public marketplace with its apps
    for (const m of [legacy.json, plain.json]) {
      const del = await admin.delete(`/api/v1/marketplaces/${m.id}?deleteApps=true`);
      expect(del.status, del.text).toBe(204);
    }
    expect((await admin.get(`/api/v1/apps/${apps[0].id}`)).status).toBe(404);
  });
});

describe("the first monitor", () => {
  let first: Json;

  beforeAll(async () => {
    first = await monitor(market.id);
  });

  it("creates every appliance that can be offered and lists the others in catalogSkipped, with the reason", async () => {
    expectSynced(first);
    expect(namesOf(await appsOf(admin, market.id))).toEqual(OFFERED);
    expect(first.appCount).toBe(OFFERED.length);
    expect(first.catalogSkipped).toHaveLength(2);
    expect(first.catalogSkipped).toEqual(
      expect.arrayContaining([
        { upstreamId: IDS.noFile, name: "No download", reason: expect.stringMatching(/file/) },
        { upstreamId: IDS.noName, name: "", reason: expect.stringMatching(/name/) },
      ]),
    );
  });

  it("an IMAGE app is READY, the admin's, usable by all, and carries the catalog's file, checksums, logo and text", async () => {
    const f = files["alpine-1.0.raw"];
    const app = await appNamed(market.id, "Alpine Linux 3.20 (1.0)");
    expect(app).toMatchObject({
      type: "IMAGE",
      state: "READY",
      version: "1.0",
      upstreamKey: `${IDS.alpine1}@1.0`,
      source: `${cat.url}/appliance/${IDS.alpine1}/download/0`,
      // the catalog has it in capitals
      md5: f.md5,
      sha256: f.sha256,
      sizeBytes: f.size,
      format: "raw",
      publisher: "Catalog Fixtures",
      shortDescription: "Alpine Linux 3.20 for KVM",
      description: "# Alpine Linux 3.20\n\nA small test disk.",
      // relative in the catalog: resolved against the endpoint
      logoUrl: `${cat.url}/logos/alpine.png`,
      childCount: 0,
      marketplace: { id: market.id, driver: "one" },
      owner: { id: adminId },
      permissions: {
        octal: "644",
        owner: { use: true, manage: true, admin: false },
        group: { use: true, manage: false, admin: false },
        other: { use: true, manage: false, admin: false },
      },
    });
    expect(app.md5).toMatch(/^[0-9a-f]{32}$/);
  });

  it("two versions of one name are two apps, each named with its version", async () => {
    const v1 = await appNamed(market.id, "Alpine Linux 3.20 (1.0)");
    const v2 = await appNamed(market.id, "Alpine Linux 3.20 (2.0)");
    expect(v1.id).not.toBe(v2.id);
    const f = files["alpine-2.0.qcow2"];
    expect(v2).toMatchObject({
      upstreamKey: `${IDS.alpine2}@2.0`,
      format: "qcow2",
      md5: f.md5,
      sha256: f.sha256,
      sizeBytes: f.size,
      logoUrl: "https://logos.example.org/alpine.png",
    });
  });

  it("a VMTEMPLATE app's children are the IMAGE apps its disks name, in order, each a DISK with APP_ID", async () => {
    const vm = await appNamed(market.id, "Web Server");
    const os = await appNamed(market.id, "Web OS disk");
    const data = await appNamed(market.id, "Web data disk");
    expect(vm).toMatchObject({ type: "VMTEMPLATE", state: "READY", upstreamKey: `${IDS.webVm}@3.1`, childCount: 2 });
    expect(vm.children).toMatchObject([
      { position: 0, slot: expect.stringMatching(/^DISK[ _]0$/), created: false, app: { id: os.id, type: "IMAGE" } },
      { position: 1, slot: expect.stringMatching(/^DISK[ _]1$/), created: false, app: { id: data.id, type: "IMAGE" } },
    ]);
    const template = parseTemplate(vm.vmTemplate);
    const disks = template.filter((a) => a.key === "DISK").map((a) => a.value);
    expect(disks).toEqual([{ APP_ID: String(os.id) }, { APP_ID: String(data.id) }]);
    expect(template).toEqual(
      expect.arrayContaining([
        { key: "CPU", value: "1" },
        { key: "MEMORY", value: "512" },
      ]),
    );
    expect(os.parents).toEqual([expect.objectContaining({ id: vm.id, type: "VMTEMPLATE" })]);
  });

  it("a SERVICE_TEMPLATE app's children are its roles' VMTEMPLATE apps, and its roles carry their app_id", async () => {
    const svc = await appNamed(market.id, "Web Service");
    const web = await appNamed(market.id, "Web Server");
    const database = await appNamed(market.id, "Database");
    expect(svc).toMatchObject({ type: "SERVICE_TEMPLATE", state: "READY", childCount: 2 });
    const bySlot = Object.fromEntries(svc.children.map((c: Json) => [c.slot, c]));
    expect(bySlot).toMatchObject({
      frontend: { created: false, app: { id: web.id, type: "VMTEMPLATE" } },
      backend: { created: false, app: { id: database.id, type: "VMTEMPLATE" } },
    });
    const body = JSON.parse(svc.serviceTemplate);
    expect(body).toMatchObject({
      deployment: "straight",
      roles: [
        { name: "backend", cardinality: 1, app_id: database.id },
        { name: "frontend", cardinality: 2, parents: ["backend"], app_id: web.id },
      ],
    });
  });

  it("every user sees the public apps and their details", async () => {
    const seen = await appsOf(uma, market.id);
    expect(namesOf(seen)).toEqual(OFFERED);
    const res = await uma.get(`/api/v1/apps/${seen[0].id}`);
    expect(res.status, res.text).toBe(200);
  });

  it("a monitor of an unchanged catalog changes nothing", async () => {
    const before = await appsOf(admin, market.id);
    expectSynced(await monitor(market.id));
    expect(await appsOf(admin, market.id)).toEqual(before);
  });
});

describe("upstream changes", () => {
  afterEach(backToDefault);

  it("a changed description updates the app at the next monitor; an app an admin disabled stays DISABLED", async () => {
    const v1 = await appNamed(market.id, "Alpine Linux 3.20 (1.0)");
    const v2 = await appNamed(market.id, "Alpine Linux 3.20 (2.0)");
    const off = await admin.patch(`/api/v1/apps/${v2.id}`, { enabled: false });
    expect(off.status, off.text).toBe(200);
    expect(off.json.state).toBe("DISABLED");
    for (const id of [IDS.alpine1, IDS.alpine2])
      patchAppliance(cat.state, id, { description: "Rebuilt with kernel 6.12.", short_description: "Alpine, rebuilt" });

    expectSynced(await monitor(market.id));
    expect(await appNamed(market.id, "Alpine Linux 3.20 (1.0)")).toMatchObject({
      id: v1.id,
      state: "READY",
      description: "Rebuilt with kernel 6.12.",
      shortDescription: "Alpine, rebuilt",
    });
    expect(await appNamed(market.id, "Alpine Linux 3.20 (2.0)")).toMatchObject({
      id: v2.id,
      state: "DISABLED",
      description: "Rebuilt with kernel 6.12.",
    });
    expect((await admin.patch(`/api/v1/apps/${v2.id}`, { enabled: true })).json.state).toBe("READY");
  });

  it("a renamed appliance (same id and version) is the same app under its new name", async () => {
    const broken = await appNamed(market.id, "Broken checksum");
    patchAppliance(cat.state, IDS.broken, { name: "Bad checksum" });
    expectSynced(await monitor(market.id));
    expect(namesOf(await appsOf(admin, market.id))).toEqual(
      OFFERED.map((n) => (n === "Broken checksum" ? "Bad checksum" : n)).sort(),
    );
    expect(await appNamed(market.id, "Bad checksum")).toMatchObject({
      id: broken.id,
      upstreamKey: `${IDS.broken}@1.0`,
    });
  });

  it("a second version listed under a name: both apps carry their version, and the first keeps its id", async () => {
    const dbDisk = await appNamed(market.id, "DB disk");
    addAppliance(cat.state, { ...applianceOf(cat.state, IDS.dbDisk), _id: { $oid: IDS.dbDisk2 }, version: "3.2" });
    expectSynced(await monitor(market.id));
    const apps = await appsOf(admin, market.id);
    expect(namesOf(apps)).toEqual([...OFFERED.filter((n) => n !== "DB disk"), "DB disk (3.1)", "DB disk (3.2)"].sort());
    expect(apps.find((a) => a.name === "DB disk (3.1)")).toMatchObject({
      id: dbDisk.id,
      upstreamKey: `${IDS.dbDisk}@3.1`,
    });
    expect(apps.find((a) => a.name === "DB disk (3.2)")).toMatchObject({
      upstreamKey: `${IDS.dbDisk2}@3.2`,
      state: "READY",
    });
    // the VM template of version 3.1 still uses the disk of its own version
    const database = await appNamed(market.id, "Database");
    expect(database.children.map((c: Json) => c.app.id)).toEqual([dbDisk.id]);
  });

  it("the same upstream id under a new version is a new app; the old one stays until its third miss", async () => {
    const alpine = await appNamed(market.id, "Alpine Linux 3.20 (1.0)");
    patchAppliance(cat.state, IDS.alpine1, { version: "1.1" });
    expectSynced(await monitor(market.id));
    const apps = await appsOf(admin, market.id);
    const v11 = apps.find((a) => a.upstreamKey === `${IDS.alpine1}@1.1`);
    expect(v11).toMatchObject({ name: "Alpine Linux 3.20 (1.1)", state: "READY", version: "1.1" });
    expect(v11.id).not.toBe(alpine.id);
    expect(apps.find((a) => a.upstreamKey === `${IDS.alpine1}@1.0`)).toMatchObject({ id: alpine.id });
  });

  it("a new version replacing the old one under the same name: the new one is an app, the old one stays until its third miss", async () => {
    // how the OpenNebula marketplace publishes an update: a new id and version, the old one withdrawn
    const old = await appNamed(market.id, "Broken checksum");
    const replaced = removeAppliance(cat.state, IDS.broken);
    addAppliance(cat.state, { ...replaced, _id: { $oid: IDS.broken2 }, version: "1.1" });
    expectSynced(await monitor(market.id));
    const newOf = async () => (await appsOf(admin, market.id)).find((a) => a.upstreamKey === `${IDS.broken2}@1.1`);
    const created = await newOf();
    expect(created).toMatchObject({ state: "READY", version: "1.1" });
    expect((await admin.get(`/api/v1/apps/${old.id}`)).json).toMatchObject({ upstreamKey: `${IDS.broken}@1.0` });
    // the answer lists the name once: the version it offers now has the plain name (soft: the rest still runs)
    expect.soft(created.name, "the name of the version the catalog offers now").toBe("Broken checksum");

    await monitor(market.id);
    expectSynced(await monitor(market.id));
    expect((await admin.get(`/api/v1/apps/${old.id}`)).status).toBe(404);
    expect(await newOf()).toMatchObject({ id: created.id, name: "Broken checksum" });
  });
});

describe("an appliance with only the required fields", () => {
  afterAll(backToDefault);

  it("is offered: tags, logo, publisher, descriptions, type and template are optional", async () => {
    const f = files["web-data.raw"];
    addAppliance(cat.state, {
      _id: { $oid: IDS.bare },
      name: "Bare disk",
      version: "1",
      files: [{ size: f.size, md5: f.md5 }],
    });
    const after = await monitor(market.id);
    expectSynced(after);
    expect(after.catalogSkipped.filter((s: Json) => s.upstreamId === IDS.bare)).toEqual([]);
    expect(await appNamed(market.id, "Bare disk")).toMatchObject({
      type: "IMAGE",
      state: "READY",
      upstreamKey: `${IDS.bare}@1`,
      md5: f.md5,
      sizeBytes: f.size,
      tags: [],
      logoUrl: "",
    });
  });
});

describe("apps missing upstream", () => {
  afterAll(backToDefault);

  it("are dropped at the third successful monitor without them, not before", async () => {
    const broken = await appNamed(market.id, "Broken checksum");
    removeAppliance(cat.state, IDS.broken);
    for (const round of [1, 2]) {
      await monitor(market.id);
      expect((await admin.get(`/api/v1/apps/${broken.id}`)).status, `after miss ${round}`).toBe(200);
    }
    await monitor(market.id);
    expect((await admin.get(`/api/v1/apps/${broken.id}`)).status).toBe(404);
    expect(namesOf(await appsOf(admin, market.id))).toEqual(OFFERED.filter((n) => n !== "Broken checksum"));
  });

  it("one seen again before its third miss is kept, and its misses start over", async () => {
    resetCatalog(cat.state);
    await monitor(market.id);
    const broken = await appNamed(market.id, "Broken checksum");
    const present = async () => (await admin.get(`/api/v1/apps/${broken.id}`)).status === 200;
    removeAppliance(cat.state, IDS.broken);
    await monitor(market.id);
    await monitor(market.id);
    expect(await present()).toBe(true);
    resetCatalog(cat.state); // back upstream
    await monitor(market.id);
    removeAppliance(cat.state, IDS.broken);
    await monitor(market.id);
    await monitor(market.id);
    expect(await present()).toBe(true); // two misses since it was seen
    await monitor(market.id);
    expect(await present()).toBe(false);
  });

  it("failed and empty answers do not count as misses", async () => {
    resetCatalog(cat.state);
    await monitor(market.id);
    const broken = await appNamed(market.id, "Broken checksum");
    const present = async () => (await admin.get(`/api/v1/apps/${broken.id}`)).status === 200;
    removeAppliance(cat.state, IDS.broken);
    await monitor(market.id); // miss 1
    for (const failure of ["500", "garbage", "close", "empty"] as const) {
      setFailure(cat.state, failure);
      await monitor(market.id);
    }
    setFailure(cat.state, "none");
    await cat.takeDown();
    await monitor(market.id);
    await cat.bringUp();
    await monitor(market.id); // miss 2
    expect(await present()).toBe(true);
    await monitor(market.id); // miss 3
    expect(await present()).toBe(false);
  });
});

describe("a monitor that fails", () => {
  afterAll(async () => {
    setFailure(cat.state, "none");
    await backToDefault();
  });

  it("changes no app and stores why, naming the URL: HTTP 500, not JSON, connection dropped, server down", async () => {
    const before = await appsOf(admin, market.id);
    // and an upstream change that must not be applied from a failed answer's leftovers
    patchAppliance(cat.state, IDS.alpine1, { description: "changed meanwhile" });
    const url = `${cat.url}/appliance`;
    const cases: [string, () => Promise<void>, RegExp][] = [
      ["500", async () => setFailure(cat.state, "500"), /HTTP 500/],
      ["garbage", async () => setFailure(cat.state, "garbage"), /JSON/],
      ["close", async () => setFailure(cat.state, "close"), /cannot reach/],
      ["down", () => (setFailure(cat.state, "none"), cat.takeDown()), /cannot reach/],
    ];
    try {
      for (const [name, fail, reason] of cases) {
        await fail();
        const after = await monitor(market.id);
        expect(after.monitorError, name).toContain(url);
        expect(after.monitorError, name).toMatch(reason);
        expect(await appsOf(admin, market.id), name).toEqual(before);
      }
    } finally {
      await cat.bringUp();
    }
    const ok = await monitor(market.id);
    expectSynced(ok);
    expect((await appNamed(market.id, "Alpine Linux 3.20 (1.0)")).description).toBe("changed meanwhile");
  });

  it("an answer with an empty appliances list changes nothing", async () => {
    const before = await appsOf(admin, market.id);
    setFailure(cat.state, "empty");
    await monitor(market.id);
    expect(await appsOf(admin, market.id)).toEqual(before);
  });
});

describe("syncs that race or meet awkward names", () => {
  afterAll(backToDefault);

  it("two monitors of one catalog at once both succeed, and the apps are those it offers once", async () => {
    addAppliance(cat.state, { ...applianceOf(cat.state, IDS.dbDisk), _id: { $oid: IDS.bare }, version: "9" });
    const results = await Promise.all([monitor(market.id), monitor(market.id), monitor(market.id)]);
    for (const m of results) expectSynced(m);
    const apps = await appsOf(admin, market.id);
    expect(apps.filter((a) => a.upstreamKey === `${IDS.bare}@9`)).toHaveLength(1);
    expect(new Set(apps.map((a) => a.upstreamKey)).size).toBe(apps.length);
  });

  it("two versions of a name of 128 characters get distinct names within 128", async () => {
    const long = `${"Ü".repeat(120)} disk ok`; // 128 characters
    for (const [id, version] of [
      [IDS.bare, "1"],
      [IDS.dbDisk2, "2"],
    ])
      addAppliance(cat.state, { ...applianceOf(cat.state, IDS.dbDisk), _id: { $oid: id }, name: long, version });
    expectSynced(await monitor(market.id));
    const named = (await appsOf(admin, market.id)).filter((a) => a.name.startsWith("ÜÜÜ"));
    expect(named).toHaveLength(2);
    expect(new Set(named.map((a) => a.name)).size).toBe(2);
    for (const a of named) expect(a.name.length).toBeLessThanOrEqual(128);
    expect(named.map((a) => a.name.endsWith(" (1)") || a.name.endsWith(" (2)"))).toEqual([true, true]);
  });

  it("a VM template cascaded out with its disk while a new version takes its name: the sync goes through", async () => {
    resetCatalog(cat.state);
    expectSynced(await monitor(market.id));
    const db = await appNamed(market.id, "Database");
    // its disk is withdrawn (the VM template is still listed, but cannot be offered without it)
    removeAppliance(cat.state, IDS.dbDisk);
    addAppliance(cat.state, { ...applianceOf(cat.state, IDS.webOs), _id: { $oid: IDS.dbDisk2 }, name: "DB disk 2" });
    expectSynced(await monitor(market.id));
    expectSynced(await monitor(market.id));
    // at the disk's third miss a second version of the VM template comes, on the new disk: the
    // old one would be renamed "Database (3.1)" and goes with its disk in the same sync
    const upstream = applianceOf(cat.state, IDS.dbVm);
    addAppliance(cat.state, { ...upstream, _id: { $oid: IDS.bare }, version: "3.2", disks: ["DB disk 2"] });
    expectSynced(await monitor(market.id));
    expect((await admin.get(`/api/v1/apps/${db.id}`)).status).toBe(404);
    const next = (await appsOf(admin, market.id)).find((a) => a.upstreamKey === `${IDS.bare}@3.2`);
    expect(next).toMatchObject({ name: "Database (3.2)", childCount: 1 });
  });
});

describe("what users may do with public apps", () => {
  it("even an admin cannot edit its fields or delete it (409), and the app is unchanged", async () => {
    const app = await appNamed(market.id, "Web OS disk");
    const edit = await admin.patch(`/api/v1/apps/${app.id}`, { description: "ours now" });
    expect(edit.status, edit.text).toBe(409);
    expect(edit.json.detail).toMatch(/follows its public catalog/);
    const del = await admin.delete(`/api/v1/apps/${app.id}`);
    expect(del.status, del.text).toBe(409);
    expect(del.json.detail).toMatch(/public catalog/);
    expect(await appNamed(market.id, "Web OS disk")).toEqual(app);
  });

  it("a user given the marketplace owns the apps it syncs but cannot hide them by chmod or chown", async () => {
    const umaId = (await uma.get("/api/v1/session")).json.user.id;
    const own = await admin.post(`/api/v1/marketplaces/${market.id}/chown`, { ownerId: umaId });
    expect(own.status, own.text).toBe(204);
    try {
      addAppliance(cat.state, { ...applianceOf(cat.state, IDS.webData), _id: { $oid: IDS.bare }, name: "Uma disk" });
      expectSynced(await monitor(market.id));
      const app = await appNamed(market.id, "Uma disk");
      expect(app.owner.id).toBe(umaId);
      const chmod = await uma.post(`/api/v1/apps/${app.id}/chmod`, { permissions: "600" });
      expect(chmod.status, chmod.text).toBe(403);
      expect(chmod.json.detail).toMatch(/follows its public catalog/);
      expect((await uma.post(`/api/v1/apps/${app.id}/chown`, { groupId: app.group.id })).status).toBe(403);
      expect((await appNamed(market.id, "Uma disk")).permissions).toEqual(app.permissions);
    } finally {
      expect((await admin.post(`/api/v1/marketplaces/${market.id}/chown`, { ownerId: adminId })).status).toBe(204);
      removeAppliance(cat.state, IDS.bare);
    }
  });

  it("a disabled catalog is not synced: Monitor now says why", async () => {
    expect((await admin.patch(`/api/v1/marketplaces/${market.id}`, { enabled: false })).status).toBe(200);
    try {
      const res = await admin.post(`/api/v1/marketplaces/${market.id}/monitor`);
      expect(res.status, res.text).toBe(409);
      expect(res.json.detail).toMatch(/disabled: enable it to sync its catalog/);
    } finally {
      expect((await admin.patch(`/api/v1/marketplaces/${market.id}`, { enabled: true })).status).toBe(200);
    }
  });

  it("a plain user can neither edit nor delete one (4xx, never 5xx), and the app is unchanged", async () => {
    const app = await appNamed(market.id, "Web OS disk");
    const attempts = [
      await uma.patch(`/api/v1/apps/${app.id}`, { description: "mine now" }),
      await uma.patch(`/api/v1/apps/${app.id}`, { enabled: false }),
      await uma.delete(`/api/v1/apps/${app.id}`),
    ];
    for (const res of attempts) {
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.status, res.text).toBeLessThan(500);
    }
    expect(await appNamed(market.id, "Web OS disk")).toEqual(app);
  });

  it("an admin may disable one and enable it again", async () => {
    const app = await appNamed(market.id, "Web OS disk");
    const off = await admin.patch(`/api/v1/apps/${app.id}`, { enabled: false });
    expect(off.status, off.text).toBe(200);
    expect(off.json.state).toBe("DISABLED");
    const on = await admin.patch(`/api/v1/apps/${app.id}`, { enabled: true });
    expect(on.status, on.text).toBe(200);
    expect(on.json.state).toBe("READY");
  });
});

describe("Linux Containers (simplestreams)", () => {
  let lxc: Json;

  it("enabled and pointed at a simplestreams server, it offers the VM disks of amd64, variant default", async () => {
    const seeded = (await marketNamed(admin, "Linux Containers"))!;
    const res = await admin.patch(`/api/v1/marketplaces/${seeded.id}`, {
      enabled: true,
      config: { endpoint: cat.url },
    });
    expect(res.status, res.text).toBe(200);
    lxc = await monitor(seeded.id);
    expectSynced(lxc);
    expect(lxc.config).toMatchObject({ endpoint: cat.url, architectures: ["amd64"], variant: "default" });
    const apps = await appsOf(admin, lxc.id);
    expect(namesOf(apps)).toEqual(["Debian 12 bookworm (x86_64)", "Ubuntu 24.04 LTS noble (x86_64)"]);
    const f = files["noble-amd64.qcow2"];
    expect(apps.find((a) => a.name.startsWith("Ubuntu"))).toMatchObject({
      type: "IMAGE",
      state: "READY",
      upstreamKey: "ubuntu:noble:amd64:default@20250102_07:42",
      version: "20250102_07:42",
      source: `${cat.url}/images/ubuntu/noble/amd64/default/20250102_07:42/noble-amd64.qcow2`,
      format: "qcow2",
      architecture: "x86_64",
      sha256: f.sha256,
      sizeBytes: f.size,
      owner: { id: adminId },
      permissions: { octal: "644" },
    });
    expect(apps.find((a) => a.name.startsWith("Debian"))).toMatchObject({
      sha256: files["bookworm-amd64.qcow2"].sha256,
    });
    expect(lxc.catalogSkipped).toEqual([
      { upstreamId: "alpine:3.21:amd64:default", name: "Alpine 3.21 (x86_64)", reason: "has no VM disk image" },
    ]);
  });

  it("the architectures and the variant choose the products", async () => {
    const cases = [
      {
        name: "lxc-arm",
        config: { architectures: ["arm64"], variant: "default" },
        apps: ["Ubuntu 24.04 LTS noble (aarch64)"],
      },
      {
        name: "lxc-cloud",
        config: { architectures: ["amd64"], variant: "cloud" },
        apps: ["Debian 12 bookworm cloud (x86_64)"],
      },
    ];
    for (const c of cases) {
      const res = await admin.post("/api/v1/marketplaces", {
        name: c.name,
        driver: "linuxcontainers",
        config: { endpoint: cat.url, ...c.config },
      });
      expect(res.status, res.text).toBe(201);
      expectSynced(await monitor(res.json.id));
      expect(namesOf(await appsOf(admin, res.json.id)), c.name).toEqual(c.apps);
      expect((await admin.delete(`/api/v1/marketplaces/${res.json.id}?deleteApps=true`)).status).toBe(204);
    }
  });
});

describe("importing public apps (a plain user, into a datastore they may use)", () => {
  beforeAll(async () => {
    resetCatalog(cat.state);
    await monitor(market.id);
  });

  /** Starts an import as uma and waits for its job to end. */
  async function importAs(appId: number, name: string) {
    const res = await uma.post(`/api/v1/apps/${appId}/import`, { datastoreId: ds.id, name });
    expect(res.status, res.text).toBe(201);
    return { plan: res.json as Json, job: await settleJob(uma, res.json.jobId) };
  }

  const image = async (id: number) => (await uma.get(`/api/v1/images/${id}`)).json;
  const digestsOf = (f: CatalogFile) => ({ md5: f.md5, sha256: f.sha256, sizeBytes: f.size });

  it("an IMAGE app: downloaded through the catalog's redirect, checksums verified", async () => {
    const app = await appNamed(market.id, "Alpine Linux 3.20 (2.0)");
    const f = files["alpine-2.0.qcow2"];
    const { plan, job } = await withWorker(() => importAs(app.id, "alpine"));
    expect(job.state, job.error).toBe("SUCCEEDED");
    expect(plan.created).toHaveLength(1);
    expect(await image(plan.created[0].id)).toMatchObject({
      name: "alpine",
      state: "READY",
      format: "qcow2",
      fromAppId: app.id,
      ...digestsOf(f),
    });
    expect(requestsFor(cat.state, `/appliance/${IDS.alpine2}/download/0`).length).toBeGreaterThan(0);
    expect(requestsFor(cat.state, `/files/${f.name}`).length).toBeGreaterThan(0);
  });

  it("an IMAGE app downloads through the portal without a promised length: its size is only what the catalog claims", async () => {
    const app = await appNamed(market.id, "Alpine Linux 3.20 (2.0)");
    const f = files["alpine-2.0.qcow2"];
    const res = await rawRequest(uma, `/api/v1/apps/${app.id}/download`);
    expect(res.status).toBe(200);
    // OpenNebula's catalog lists virtual sizes: no Content-Length the bytes might not keep
    expect(res.headers.get("x-bazaar-content-length")).toBeNull();
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(f.size);
  });

  it("a VMTEMPLATE app: its disk images, and a VM template whose DISKs are the new images", async () => {
    const app = await appNamed(market.id, "Web Server");
    const { plan, job } = await withWorker(() => importAs(app.id, "web-vm"));
    expect(job.state, job.error).toBe("SUCCEEDED");
    const ids = plan.created.map((c: Json) => c.id);
    expect(ids).toHaveLength(2);
    expect(await image(ids[0])).toMatchObject({ state: "READY", ...digestsOf(files["web-os.raw"]) });
    expect(await image(ids[1])).toMatchObject({ state: "READY", ...digestsOf(files["web-data.raw"]) });
    const vm = await templateNamed(uma, "vm-templates", "web-vm");
    expect(vm).toMatchObject({ fromAppId: app.id });
    const template = parseTemplate(vm!.template);
    expect(template.filter((a) => a.key === "DISK").map((a) => a.value)).toEqual([
      { IMAGE_ID: String(ids[0]) },
      { IMAGE_ID: String(ids[1]) },
    ]);
    expect(template).toEqual(expect.arrayContaining([{ key: "MEMORY", value: "512" }]));
  });

  it("a SERVICE_TEMPLATE app: the images, a VM template per role, and the service template", async () => {
    const app = await appNamed(market.id, "Web Service");
    const { plan, job } = await withWorker(() => importAs(app.id, "shop"));
    expect(job.state, job.error).toBe("SUCCEEDED");
    const created: Json[] = await Promise.all(plan.created.map((c: Json) => image(c.id)));
    expect(created).toHaveLength(3);
    expect(created.every((i) => i.state === "READY")).toBe(true);
    expect(created.map((i) => i.sha256).sort()).toEqual(
      [files["web-os.raw"], files["web-data.raw"], files["db-disk.raw"]].map((f) => f.sha256).sort(),
    );
    const service = await templateNamed(uma, "service-templates", "shop");
    expect(service).toMatchObject({ fromAppId: app.id, deployment: "straight" });
    const roles = Object.fromEntries(service!.roles.map((r: Json) => [r.name, r]));
    expect(roles).toMatchObject({ backend: { cardinality: 1 }, frontend: { cardinality: 2, parents: ["backend"] } });
    const web = await uma.get(`/api/v1/vm-templates/${roles.frontend.vmTemplateId}`);
    const database = await uma.get(`/api/v1/vm-templates/${roles.backend.vmTemplateId}`);
    expect(web.json.fromAppId).toBe((await appNamed(market.id, "Web Server")).id);
    expect(database.json.fromAppId).toBe((await appNamed(market.id, "Database")).id);
    const dbDisk = created.find((i) => i.sha256 === files["db-disk.raw"].sha256);
    expect(parseTemplate(database.json.template).filter((a) => a.key === "DISK")).toEqual([
      { key: "DISK", value: { IMAGE_ID: String(dbDisk.id) } },
    ]);
  });

  it("an app whose catalog md5 is wrong fails the job cleanly and leaves no READY image", async () => {
    const app = await appNamed(market.id, "Broken checksum");
    const { plan, job } = await withWorker(() => importAs(app.id, "broken"));
    expect(job.state).toBe("FAILED");
    expect(job.error).toContain("md5 mismatch");
    const left = await uma.get(`/api/v1/images/${plan.created[0].id}`);
    expect(left.status === 404 || left.json.state !== "READY", left.text).toBe(true);
    const listed = (await uma.get("/api/v1/images?q=broken&perPage=200")).json.items;
    expect(listed.filter((i: Json) => i.state === "READY")).toEqual([]);
  });

  it("a redirect to another origin is held to the URL policy: refused on loopback unless BAZAAR_URL_ALLOW allows it", async () => {
    const app = await appNamed(market.id, "Alpine Linux 3.20 (1.0)");
    const f = files["alpine-1.0.raw"];
    cat.state.downloadOrigin = other.url;
    try {
      const refused = await withWorker(() => importAs(app.id, "elsewhere"));
      expect(refused.job.state).toBe("FAILED");
      expect(refused.job.error).toContain("private, loopback or reserved; allow it with BAZAAR_URL_ALLOW");
      expect(requestsFor(other.state, `/files/${f.name}`)).toEqual([]);
      const left = await uma.get(`/api/v1/images/${refused.plan.created[0].id}`);
      expect(left.status === 404 || left.json.state !== "READY", left.text).toBe(true);

      setConfigForTests({ ...getConfig(), urlAllow: ["127.0.0.0/8"] });
      const allowed = await withWorker(() => importAs(app.id, "elsewhere-allowed"));
      expect(allowed.job.state, allowed.job.error).toBe("SUCCEEDED");
      expect(await image(allowed.plan.created[0].id)).toMatchObject({ state: "READY", ...digestsOf(f) });
      expect(requestsFor(other.state, `/files/${f.name}`).length).toBeGreaterThan(0);
    } finally {
      cat.state.downloadOrigin = null;
      setConfigForTests(savedConfig);
    }
  });

  it("a simplestreams app imports with its sha256 verified", async () => {
    const lxc = (await marketNamed(admin, "Linux Containers"))!;
    const app = (await appsOf(uma, lxc.id)).find((a) => a.name === "Ubuntu 24.04 LTS noble (x86_64)");
    const f = files["noble-amd64.qcow2"];
    const { plan, job } = await withWorker(() => importAs(app.id, "noble"));
    expect(job.state, job.error).toBe("SUCCEEDED");
    expect(await image(plan.created[0].id)).toMatchObject({
      state: "READY",
      format: "qcow2",
      sha256: f.sha256,
      sizeBytes: f.size,
    });
  });
});

describe("deleting a public marketplace", () => {
  it("with deleteApps=true removes its apps, composite ones too, and keeps what was imported from them", async () => {
    const apps = await appsOf(admin, market.id);
    expect(apps.length).toBeGreaterThan(0);
    const imported = (await uma.get("/api/v1/images?q=alpine&perPage=200")).json.items.filter(
      (i: Json) => i.state === "READY",
    );
    const res = await admin.delete(`/api/v1/marketplaces/${market.id}?deleteApps=true`);
    expect(res.status, res.text).toBe(204);
    expect((await admin.get(`/api/v1/marketplaces/${market.id}`)).status).toBe(404);
    for (const app of apps) expect((await admin.get(`/api/v1/apps/${app.id}`)).status).toBe(404);
    for (const img of imported) expect((await uma.get(`/api/v1/images/${img.id}`)).json.state).toBe("READY");
  });
});
