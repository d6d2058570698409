import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
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
import { allowLoopbackUrls, randomPayload, serveBytes, waitFor, convertToQcow2 } from "../support/images";
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
  templateNamed,
  urlImage,
} from "../support/markets";
import { S3RVER_SECRET_ACCESS_KEY, startS3, type TestS3 } from "../support/s3";

/**
 * Composite apps with a real worker: VM templates published with their disk images as child
 * apps, service templates with their roles' VM templates, reuse of existing apps, imports that
 * recreate images and templates, failures half-way that must leave nothing behind, deletion
 * of trees, permissions on the parts, and the plan an import shows beforehand.
 */
const BUCKET = "composite";
let admin: ApiClient;
let worker: ReturnType<typeof startWorker>;
let server: Awaited<ReturnType<typeof serveBytes>>;
let s3: TestS3;
let pat: UserFixture; // may publish and create VM templates
let p: ApiClient;
let dave: UserFixture; // default rights: may import, may not publish
let d: ApiClient;
let imagesDs: Json; // any format
let rawDs: Json; // requires raw: imports convert
let web: Json; // http marketplace
let bucket: Json; // s3 marketplace
const img: Record<string, Json> = {}; // admin's images by name
let vm1: Json; // two image disks, a volatile one, a NIC on network "x"
let vmApp: Json; // vm1 published to the bucket
const work = mkdtempSync(path.join(tmpdir(), "bazaar-composite-"));
const publicDir = path.join(work, "web");

/** A 4 MiB qcow2 disk with 256 KiB of random data, and its bytes. */
function qcow2Disk(name: string): Buffer {
  const raw = path.join(work, `${name}.raw`);
  const out = path.join(work, `${name}.qcow2`);
  execFileSync("qemu-img", ["create", "-q", "-f", "raw", raw, "4M"]);
  writeFileSync(raw, randomPayload(256 * 1024).data, { flag: "r+" });
  return convertToQcow2(raw, out);
}

// every image has bytes of its own, so that a mix-up shows in the checksums
const bytes: Record<string, Buffer> = {
  a: randomPayload(MiB).data,
  b: randomPayload(MiB).data,
  // more than one 5 MiB part: its failed upload is a multipart one
  big: randomPayload(6 * MiB).data,
  s1: qcow2Disk("s1"),
  s2: qcow2Disk("s2"),
  s3: qcow2Disk("s3"),
  // pat's images have the names of admin's, not their bytes
  "pat-a": randomPayload(256 * 1024).data,
  "pat-b": randomPayload(256 * 1024).data,
};

const startTheWorker = async () =>
  (worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, concurrency: 4, log: () => {} }));

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  s3 = await startS3();
  server = await serveBytes(Object.fromEntries(Object.entries(bytes).map(([k, v]) => [`/${k}`, v])));
  await startTheWorker();
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
  imagesDs = await shared("datastores", { name: "images" });
  rawDs = await shared("datastores", { name: "raw", requiredFormat: "raw" });
  web = await shared("marketplaces", { name: "web", driver: "http", config: { publicDir } });
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

  const owners: [string, ApiClient][] = [
    ...["a", "b", "big", "s1", "s2", "s3"].map((n): [string, ApiClient] => [n, admin]),
    ...["pat-a", "pat-b"].map((n): [string, ApiClient] => [n, p]),
  ];
  const made = await Promise.all(
    owners.map(([key, client]) =>
      urlImage(client, { url: server.url(`/${key}`), name: key.replace(/^pat-/, ""), datastoreId: imagesDs.id }),
    ),
  );
  owners.forEach(([key], i) => (img[key] = made[i]));

  vm1 = await createVmTemplate(
    admin,
    "vm1",
    `CPU = "1"
MEMORY = "512"
DISK = [ IMAGE_ID = "${img.a.id}", DEV_PREFIX = "vd" ]
DISK = [ IMAGE_ID = "${img.b.id}" ]
DISK = [ TYPE = "fs", SIZE = "64", FORMAT = "raw" ]
NIC = [ NETWORK = "x", MODEL = "virtio" ]
GRAPHICS = [ TYPE = "VNC", LISTEN = "0.0.0.0" ]
`,
  );
});

afterAll(async () => {
  await worker.stop();
  await server.close();
  await s3.stop();
  rmSync(s3.directory, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const bucketClient = () => s3Client(s3.endpoint);
const keyOf = (source: string) => source.replace(`s3://${BUCKET}/`, "");
const imageRow = (id: number) => db().image.findUniqueOrThrow({ where: { id } });
const imageFile = async (id: number) => {
  const row = await db().image.findUniqueOrThrow({ where: { id }, include: { datastore: true } });
  return path.join(row.datastore.basePath, row.storageKey);
};
/** Files of a datastore's directory, temporary ones too. */
const filesIn = (ds: Json) => (existsSync(ds.basePath) ? readdirSync(ds.basePath) : []);
/** The files of a datastore that belong to these images. */
const filesOf = (ds: Json, ids: number[]) =>
  filesIn(ds).filter((f) => ids.some((id) => new RegExp(`(^|\\D)${id}(\\D|$)`).test(f)));
const appIds = async (where: Record<string, unknown> = {}) =>
  (await db().marketplaceApp.findMany({ where, select: { id: true } })).map((a) => a.id).sort((x, y) => x - y);

/** Starts a publish: the app as the API answers it, LOCKED. */
async function publish(client: ApiClient, body: Record<string, unknown>) {
  const res = await client.post("/api/v1/apps", body);
  expect(res.status, res.text).toBe(201);
  return res.json as Json;
}

/** Publishes a composite app and waits for the parent to be READY. */
async function publishComposite(client: ApiClient, body: Record<string, unknown>) {
  const started = await publish(client, body);
  const app = await settleApp(client, started.id);
  expect(app.state, app.error || app.job?.error).toBe("READY");
  return (await client.get(`/api/v1/apps/${app.id}`)).json as Json;
}

/** Runs `between` with the worker stopped, so that the jobs it starts wait in the queue. */
async function whileStopped(between: () => Promise<void>) {
  await worker.stop();
  try {
    await between();
  } finally {
    await startTheWorker();
  }
}

/** Imports an app and waits for the import's job to end. */
async function importApp(client: ApiClient, appId: number, body: Record<string, unknown>) {
  const res = await client.post(`/api/v1/apps/${appId}/import`, body);
  expect(res.status, res.text).toBe(201);
  return { plan: res.json as Json, job: await settleJob(client, res.json.jobId) };
}

describe("publish a VM template", () => {
  it("makes its image disks child apps, rewrites disks and NICs, and releases the images", async () => {
    const started = await publish(admin, { marketplaceId: bucket.id, vmTemplateId: vm1.id, name: "vm-s3" });
    expect(started).toMatchObject({
      type: "VMTEMPLATE",
      state: "LOCKED",
      originTemplateId: vm1.id,
      childCount: 2,
      job: { kind: "app.publish-composite" },
      children: [
        { position: 0, slot: "DISK 0", created: true, app: { type: "IMAGE", state: "LOCKED", name: "vm-s3-a" } },
        { position: 1, slot: "DISK 1", created: true, app: { type: "IMAGE", state: "LOCKED", name: "vm-s3-b" } },
      ],
    });
    await settleApp(admin, started.id);
    vmApp = (await admin.get(`/api/v1/apps/${started.id}`)).json;
    expect(vmApp).toMatchObject({ state: "READY", error: "", sizeBytes: 2 * MiB, childCount: 2 });
    const [childA, childB] = vmApp.children.map((c: Json) => c.app);
    expect(vmApp.children).toEqual([
      expect.objectContaining({
        slot: "DISK 0",
        created: true,
        app: expect.objectContaining({ state: "READY", children: [] }),
      }),
      expect.objectContaining({
        slot: "DISK 1",
        created: true,
        app: expect.objectContaining({ state: "READY", children: [] }),
      }),
    ]);

    // the children's bytes in the bucket are the images'
    const client = bucketClient();
    for (const [child, image] of [
      [childA, img.a],
      [childB, img.b],
    ]) {
      const full = (await admin.get(`/api/v1/apps/${child.id}`)).json;
      expect(full).toMatchObject({ type: "IMAGE", state: "READY", originImageId: image.id, sha256: image.sha256 });
      expect(full.parents).toEqual([expect.objectContaining({ id: vmApp.id, type: "VMTEMPLATE" })]);
      expect(digests(await readS3Object(client, BUCKET, keyOf(full.source))).sha256).toBe(image.sha256);
    }

    // disks name their child apps, never images; NICs ask for any network
    expect(parseTemplate(vmApp.vmTemplate)).toEqual([
      { key: "CPU", value: "1" },
      { key: "MEMORY", value: "512" },
      { key: "DISK", value: { APP_ID: String(childA.id), DEV_PREFIX: "vd" } },
      { key: "DISK", value: { APP_ID: String(childB.id) } },
      { key: "DISK", value: { TYPE: "fs", SIZE: "64", FORMAT: "raw" } },
      { key: "NIC", value: { NETWORK_MODE: "auto", MODEL: "virtio" } },
      { key: "GRAPHICS", value: { TYPE: "VNC", LISTEN: "0.0.0.0" } },
    ]);
    expect(vmApp.vmTemplate).not.toMatch(/IMAGE_ID|\bNETWORK\s*=/);

    for (const image of [img.a, img.b]) expect(await imageRow(image.id)).toMatchObject({ state: "READY", readers: 0 });
    const job = (await admin.get(`/api/v1/jobs/${started.job.id}`)).json;
    expect(job).toMatchObject({
      state: "SUCCEEDED",
      bytesTotal: img.a.sizeBytes + img.b.sizeBytes,
      bytesDone: img.a.sizeBytes + img.b.sizeBytes,
    });
  });

  it("has no bytes of its own: a download is refused, not blamed on the marketplace", async () => {
    const res = await admin.get(`/api/v1/apps/${vmApp.id}/download`);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect([400, 409]).toContain(res.status);
    expect(res.json.detail).not.toContain("could not serve");
  });
});

describe("reuse an app for a disk", () => {
  it("a READY image app chosen for disk 0 becomes that disk's child: only disk 1 is published", async () => {
    const reused = vmApp.children[0].app;
    const before = await appIds();
    const started = await publish(admin, {
      marketplaceId: bucket.id,
      vmTemplateId: vm1.id,
      name: "vm-reuse",
      disks: [{ appId: reused.id }],
    });
    expect(started.children).toMatchObject([
      { position: 0, slot: "DISK 0", created: false, app: { id: reused.id, state: "READY" } },
      { position: 1, slot: "DISK 1", created: true, app: { type: "IMAGE", state: "LOCKED" } },
    ]);
    const fresh = started.children[1].app;
    expect(fresh.id).not.toBe(vmApp.children[1].app.id);
    expect(await appIds()).toEqual([...before, started.id, fresh.id].sort((x, y) => x - y));
    expect(
      await db().marketplaceAppChild.findMany({
        where: { parentId: started.id },
        orderBy: { position: "asc" },
        select: { childId: true, slot: true, created: true },
      }),
    ).toEqual([
      { childId: reused.id, slot: "DISK 0", created: false },
      { childId: fresh.id, slot: "DISK 1", created: true },
    ]);

    const app = await settleApp(admin, started.id);
    expect(app.state, app.error).toBe("READY");
    const disks = parseTemplate(app.vmTemplate).filter((a) => a.key === "DISK");
    expect(disks.slice(0, 2).map((a) => (a.value as Record<string, string>).APP_ID)).toEqual([
      String(reused.id),
      String(fresh.id),
    ]);
    // only the one new child's bytes moved
    expect((await admin.get(`/api/v1/jobs/${started.job.id}`)).json).toMatchObject({
      state: "SUCCEEDED",
      bytesTotal: img.b.sizeBytes,
    });
    const parents = (await admin.get(`/api/v1/apps/${reused.id}`)).json.parents.map((x: Json) => x.id);
    expect(parents.sort()).toEqual([vmApp.id, started.id].sort());
  });

  it("refuses an app that is not a READY image app, naming disks.0.appId, and creates nothing", async () => {
    const lone = await publishReady(admin, { marketplaceId: web.id, imageId: img.a.id, name: "lone-a" });
    const disabled = await admin.patch(`/api/v1/apps/${lone.id}`, { enabled: false });
    expect(disabled.json.state, disabled.text).toBe("DISABLED");
    const elsewhere = await publishReady(admin, { marketplaceId: web.id, imageId: img.b.id, name: "lone-b" });
    const before = await appIds();
    for (const appId of [vmApp.id, lone.id]) {
      const res = await admin.post("/api/v1/apps", {
        marketplaceId: bucket.id,
        vmTemplateId: vm1.id,
        name: "vm-bad-reuse",
        disks: [{ appId }],
      });
      expectProblem(res, 400, ["disks.0.appId"]);
    }
    // a part lives in the parent's marketplace, and reusing an app takes the right to manage it
    expectProblem(
      await admin.post("/api/v1/apps", {
        marketplaceId: bucket.id,
        vmTemplateId: vm1.id,
        name: "vm-bad-reuse",
        disks: [{ appId: elsewhere.id }],
      }),
      400,
      ["disks.0.appId"],
    );
    const patsOwn = await createVmTemplate(
      p,
      "pats-own",
      `CPU = "1"\nMEMORY = "64"\nDISK = [ IMAGE_ID = "${img["pat-a"].id}" ]\n`,
    );
    const notHis = await p.post("/api/v1/apps", {
      marketplaceId: bucket.id,
      vmTemplateId: patsOwn.id,
      name: "pat-reuse",
      disks: [{ appId: vmApp.children[0].app.id }],
    });
    expectProblem(notHis, 400, ["disks.0.appId"]);
    expect(notHis.json.detail).toMatch(/manage/i);
    expectProblem(
      await admin.post("/api/v1/apps", {
        marketplaceId: bucket.id,
        vmTemplateId: vm1.id,
        name: "vm-bad-reuse",
        disks: [{ appId: null }, { appId: null }, { appId: null }],
      }),
      400,
      ["disks"],
    );
    expect(await appIds()).toEqual(before);
    for (const image of [img.a, img.b]) expect(await imageRow(image.id)).toMatchObject({ state: "READY", readers: 0 });
  });
});

describe("a service template", () => {
  let vmDb: Json;
  let vmWeb: Json;
  let shop: Json; // the published service
  let preview: Json;

  beforeAll(async () => {
    vmDb = await createVmTemplate(
      admin,
      "db",
      `CPU = "2"
MEMORY = "1024"
DISK = [ IMAGE_ID = "${img.s1.id}" ]
DISK = [ IMAGE_ID = "${img.s2.id}", TARGET = "vdb" ]
NIC = [ NETWORK = "x" ]
CONTEXT = [ NETWORK = "YES", TOKEN = "YES" ]
`,
    );
    vmWeb = await createVmTemplate(
      admin,
      "web",
      `CPU = "1"
MEMORY = "256"
DISK = [ IMAGE_ID = "${img.s3.id}", DEV_PREFIX = "vd" ]
NIC = [ NETWORK_ID = "0", MODEL = "virtio" ]
`,
    );
  });

  it("publishes its roles as VM template apps with their image apps, two levels deep", async () => {
    const svc = await createServiceTemplate(admin, {
      name: "shop",
      description: "a shop",
      deployment: "straight",
      ready_status_gate: true,
      roles: [
        { name: "db", cardinality: 1, vm_template: vmDb.id },
        { name: "web", cardinality: 2, vm_template: vmWeb.id, parents: ["db"] },
      ],
    });
    shop = await publishComposite(admin, { marketplaceId: bucket.id, serviceTemplateId: svc.id, name: "shop" });
    const sizes = [img.s1, img.s2, img.s3].map((i) => i.sizeBytes);
    expect(shop).toMatchObject({
      type: "SERVICE_TEMPLATE",
      state: "READY",
      originTemplateId: svc.id,
      childCount: 2,
      sizeBytes: sizes[0] + sizes[1] + sizes[2],
    });
    const image = (slot: string, name: string, size: number) => ({
      slot,
      created: true,
      app: { name, type: "IMAGE", state: "READY", sizeBytes: size },
    });
    expect(shop.children).toMatchObject([
      {
        position: 0,
        slot: "db",
        created: true,
        app: {
          name: "shop-db",
          type: "VMTEMPLATE",
          state: "READY",
          children: [image("DISK 0", "shop-db-s1", sizes[0]), image("DISK 1", "shop-db-s2", sizes[1])],
        },
      },
      {
        position: 1,
        slot: "web",
        created: true,
        app: {
          name: "shop-web",
          type: "VMTEMPLATE",
          state: "READY",
          children: [image("DISK 0", "shop-web-s3", sizes[2])],
        },
      },
    ]);
    const [dbApp, webApp] = shop.children.map((c: Json) => c.app);
    const body = JSON.parse(shop.serviceTemplate);
    expect(body).toMatchObject({
      name: "shop",
      deployment: "straight",
      ready_status_gate: true,
      roles: [
        { name: "db", cardinality: 1, app_id: dbApp.id },
        { name: "web", cardinality: 2, parents: ["db"], app_id: webApp.id },
      ],
    });
    expect(JSON.stringify(body.roles)).not.toContain("vm_template");
    const client = bucketClient();
    const leaves = [...dbApp.children, ...webApp.children].map((c: Json) => c.app);
    for (const [k, leaf] of leaves.entries()) {
      const full = (await admin.get(`/api/v1/apps/${leaf.id}`)).json;
      const original = [img.s1, img.s2, img.s3][k];
      expect(digests(await readS3Object(client, BUCKET, keyOf(full.source))).sha256).toBe(original.sha256);
    }
  });

  it("import-preview lists exactly what the import creates", async () => {
    const res = await admin.post(`/api/v1/apps/${shop.id}/import-preview`, { datastoreId: rawDs.id, name: "shop-imp" });
    expect(res.status, res.text).toBe(200);
    preview = res.json;
    const [dbApp, webApp] = shop.children.map((c: Json) => c.app);
    const leaves = [...dbApp.children, ...webApp.children].map((c: Json) => c.app);
    expect(preview).toEqual({
      images: [
        {
          name: "shop-imp-db-disk0",
          type: "OS",
          sizeBytes: leaves[0].sizeBytes,
          app: { id: leaves[0].id, name: leaves[0].name },
        },
        {
          name: "shop-imp-db-disk1",
          type: "OS",
          sizeBytes: leaves[1].sizeBytes,
          app: { id: leaves[1].id, name: leaves[1].name },
        },
        {
          name: "shop-imp-web-disk0",
          type: "OS",
          sizeBytes: leaves[2].sizeBytes,
          app: { id: leaves[2].id, name: leaves[2].name },
        },
      ],
      vmTemplates: [
        {
          name: "shop-imp-db",
          app: { id: dbApp.id, name: "shop-db" },
          disks: ["shop-imp-db-disk0", "shop-imp-db-disk1"],
        },
        { name: "shop-imp-web", app: { id: webApp.id, name: "shop-web" }, disks: ["shop-imp-web-disk0"] },
      ],
      serviceTemplate: {
        name: "shop-imp",
        roles: [
          { name: "db", vmTemplate: "shop-imp-db" },
          { name: "web", vmTemplate: "shop-imp-web" },
        ],
      },
      datastore: { id: rawDs.id, name: "raw" },
      totalBytes: shop.sizeBytes,
      freeBytes: expect.any(Number),
    });
  });

  it("imports into a raw datastore: three converted images, two VM templates, one service template", async () => {
    const images = await db().image.count();
    const vms = await db().vmTemplate.count();
    const services = await db().serviceTemplate.count();
    const { plan, job } = await importApp(admin, shop.id, { datastoreId: rawDs.id, name: "shop-imp" });
    expect(job.state, job.error).toBe("SUCCEEDED");
    const { jobId: _, created, ...what } = plan;
    expect({ ...what, freeBytes: 0 }).toEqual({ ...preview, freeBytes: 0 });
    expect(await db().image.count()).toBe(images + 3);
    expect(await db().vmTemplate.count()).toBe(vms + 2);
    expect(await db().serviceTemplate.count()).toBe(services + 1);

    const originals = [img.s1, img.s2, img.s3];
    const ids: number[] = created.map((c: Json) => c.id);
    expect(created.map((c: Json) => c.name)).toEqual(["shop-imp-db-disk0", "shop-imp-db-disk1", "shop-imp-web-disk0"]);
    for (const [k, id] of ids.entries()) {
      const row = await imageRow(id);
      expect(row).toMatchObject({
        state: "READY",
        format: "raw",
        datastoreId: rawDs.id,
        virtualSizeBytes: BigInt(4 * MiB),
      });
      // the guest sees the same disk, in another format
      execFileSync("qemu-img", [
        "compare",
        "-q",
        "-f",
        "qcow2",
        "-F",
        "raw",
        await imageFile(originals[k].id),
        await imageFile(id),
      ]);
    }

    const [dbApp, webApp] = shop.children.map((c: Json) => c.app);
    const newDb = await templateNamed(admin, "vm-templates", "shop-imp-db");
    const newWeb = await templateNamed(admin, "vm-templates", "shop-imp-web");
    expect(newDb).toMatchObject({ fromAppId: dbApp.id });
    expect(newWeb).toMatchObject({ fromAppId: webApp.id });
    const devices = (text: string) => parseTemplate(text).filter((a) => a.key === "DISK" || a.key === "NIC");
    const rest = (text: string) => parseTemplate(text).filter((a) => a.key !== "DISK" && a.key !== "NIC");
    expect(devices(newDb.template)).toEqual([
      { key: "DISK", value: { IMAGE_ID: String(ids[0]) } },
      { key: "DISK", value: { IMAGE_ID: String(ids[1]), TARGET: "vdb" } },
      { key: "NIC", value: { NETWORK_MODE: "auto" } },
    ]);
    expect(devices(newWeb.template)).toEqual([
      { key: "DISK", value: { IMAGE_ID: String(ids[2]), DEV_PREFIX: "vd" } },
      { key: "NIC", value: { NETWORK_MODE: "auto", MODEL: "virtio" } },
    ]);
    expect(rest(newDb.template)).toEqual(rest(vmDb.template));
    expect(rest(newWeb.template)).toEqual(rest(vmWeb.template));

    const service = await templateNamed(admin, "service-templates", "shop-imp");
    expect(service).toMatchObject({
      description: "a shop",
      deployment: "straight",
      fromAppId: shop.id,
      roles: [
        { name: "db", cardinality: 1, parents: [], vmTemplateId: newDb.id },
        { name: "web", cardinality: 2, parents: ["db"], vmTemplateId: newWeb.id },
      ],
      body: { name: "shop-imp", ready_status_gate: true },
    });
    expect(JSON.stringify(service.body)).not.toContain("app_id");
  });

  it("a raw datastore must hold the disks' virtual size: 507 before anything starts", async () => {
    // the three qcow2 disks take under 2 MiB as stored and 12 MiB once converted to raw
    const small = await admin.post("/api/v1/datastores", { name: "raw-small", requiredFormat: "raw", limitMb: 6 });
    expect(small.status, small.text).toBe(201);
    expect(shop.sizeBytes).toBeLessThan(6 * MiB);
    const counts = async () => [await db().image.count(), await db().job.count()];
    const before = await counts();
    for (const action of ["import-preview", "import"]) {
      const res = await admin.post(`/api/v1/apps/${shop.id}/${action}`, {
        datastoreId: small.json.id,
        name: "shop-small",
      });
      expectProblem(res, 507, ["datastoreId"]);
    }
    expect(await counts()).toEqual(before);
  });

  it("a child whose bytes went bad fails the import, which leaves no image, VM template or service template", async () => {
    const victim = shop.children[0].app.children[1].app; // the second image imported
    const key = keyOf((await admin.get(`/api/v1/apps/${victim.id}`)).json.source);
    const client = bucketClient();
    const good = await readS3Object(client, BUCKET, key);
    const counts = async () => [
      await db().image.count(),
      await db().vmTemplate.count(),
      await db().serviceTemplate.count(),
    ];
    const before = await counts();
    let plan: Json;
    try {
      await whileStopped(async () => {
        const res = await admin.post(`/api/v1/apps/${shop.id}/import`, { datastoreId: imagesDs.id, name: "shop-bad" });
        expect(res.status, res.text).toBe(201);
        plan = res.json;
        expect(plan.images.map((i: Json) => i.app.id)[1]).toBe(victim.id);
        // same size, other bytes
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: randomPayload(good.length).data }));
      });
      const job = await settleJob(admin, plan.jobId);
      expect(job.state).toBe("FAILED");
      expect(job.error).toContain(victim.name);
      const ids = plan.created.map((c: Json) => c.id);
      expect(await db().image.findMany({ where: { id: { in: ids } } })).toEqual([]);
      expect(filesOf(imagesDs, ids)).toEqual([]);
      expect(filesOf(imagesDs, [img.a.id])).toHaveLength(1); // the probe finds an image's file
      expect(await counts()).toEqual(before);
      expect(await db().vmTemplate.findMany({ where: { name: { startsWith: "shop-bad" } } })).toEqual([]);
      expect(await db().serviceTemplate.findMany({ where: { name: { startsWith: "shop-bad" } } })).toEqual([]);
    } finally {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: good }));
    }
  });
});

describe("a composite publish that fails half-way", () => {
  let doomed: Json; // a VM template whose second disk is the big image

  beforeAll(async () => {
    doomed = await createVmTemplate(
      admin,
      "doomed",
      `CPU = "1"\nMEMORY = "128"\nDISK = [ IMAGE_ID = "${img.a.id}" ]\nDISK = [ IMAGE_ID = "${img.big.id}" ]\n`,
    );
  });

  /** What a marketplace holds: the bucket's objects and open uploads, or the folder's files (dotfiles too). */
  const leftovers = async (market: Json) =>
    market.driver === "s3"
      ? [...(await s3Keys(bucketClient(), BUCKET)), ...(await s3.uploadsOnDisk(BUCKET))]
      : existsSync(publicDir)
        ? readdirSync(publicDir).sort()
        : [];

  it.each([["s3"], ["http"]])(
    "%s: removes every app and byte it created and releases the images; the job names the child",
    async (driver) => {
      const market = driver === "s3" ? bucket : web;
      const held = await leftovers(market);
      const apps = await appIds();
      const file = await imageFile(img.big.id);
      const good = readFileSync(file);
      let started: Json;
      try {
        await whileStopped(async () => {
          started = await publish(admin, { marketplaceId: market.id, vmTemplateId: doomed.id, name: "doomed" });
          expect(await imageRow(img.big.id)).toMatchObject({ state: "USED", readers: 1 });
          // the second disk's image goes bad once the publish is accepted: same size, other bytes
          writeFileSync(file, randomPayload(good.length).data);
        });
        const job = await settleJob(admin, started.job.id);
        expect(job.state).toBe("FAILED");
        const [first, second] = started.children.map((c: Json) => c.app);
        expect(job.error).toContain(`child app ${second.name} (image big)`);
        expect(job.error).not.toContain(first.name);
        expect(await appIds()).toEqual(apps);
        expect(await db().marketplaceAppChild.count({ where: { parentId: started.id } })).toBe(0);
        expectProblem(await admin.get(`/api/v1/apps/${started.id}`), 404);
        // the first child had been stored: it is gone too, and no upload or temporary file remains
        expect(await leftovers(market)).toEqual(held);
        for (const image of [img.a, img.big])
          expect(await imageRow(image.id)).toMatchObject({ state: "READY", readers: 0 });
      } finally {
        writeFileSync(file, good);
      }
    },
  );
});

describe("an import that fails half-way", () => {
  let frail: Json; // vm1 published to the http marketplace

  beforeAll(async () => {
    frail = await publishComposite(admin, { marketplaceId: web.id, vmTemplateId: vm1.id, name: "frail" });
  });

  it.each([
    ["http: the second child's file cut short", "truncate"],
    ["s3: the second child's object gone", "delete"],
  ])("%s: the job names the child; no image, file or VM template remains", async (_, how) => {
    const app = how === "truncate" ? frail : vmApp;
    const victim = app.children[1].app;
    const row = await db().marketplaceApp.findUniqueOrThrow({ where: { id: victim.id } });
    const file = path.join(publicDir, row.storageKey);
    const key = keyOf(row.source);
    const good = how === "truncate" ? readFileSync(file) : await readS3Object(bucketClient(), BUCKET, key);
    const counts = async () => [await db().image.count(), await db().vmTemplate.count()];
    const before = await counts();
    const name = `frail-${how}`;
    let plan: Json;
    try {
      await whileStopped(async () => {
        const res = await admin.post(`/api/v1/apps/${app.id}/import`, { datastoreId: imagesDs.id, name });
        expect(res.status, res.text).toBe(201);
        plan = res.json;
        expect(plan.images.map((i: Json) => i.app.id)).toEqual(app.children.map((c: Json) => c.app.id));
        if (how === "truncate") truncateSync(file, good.length - 4096);
        else await bucketClient().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      });
      const job = await settleJob(admin, plan.jobId);
      expect(job.state).toBe("FAILED");
      expect(job.error).toContain(victim.name);
      const ids = plan.created.map((c: Json) => c.id);
      expect(await db().image.findMany({ where: { id: { in: ids } } })).toEqual([]);
      expect(filesOf(imagesDs, ids)).toEqual([]);
      expect(await counts()).toEqual(before);
      expect(await templateNamed(admin, "vm-templates", name)).toBeNull();
    } finally {
      if (how === "truncate") writeFileSync(file, good);
      else await bucketClient().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: good }));
    }
  });
});

describe("an image app that carries a VM template", () => {
  let carrier: Json;

  beforeAll(async () => {
    carrier = await publishReady(admin, {
      marketplaceId: web.id,
      imageId: img.a.id,
      name: "a-with-vm",
      vmTemplate: `CPU = "1"\nMEMORY = "256"\nDISK = [ IMAGE_ID = "${img.b.id}", DEV_PREFIX = "vd" ]\nDISK = [ TYPE = "swap", SIZE = "128" ]\n`,
    });
  });

  it("createVmTemplate=true: a VM template whose first disk is the new image", async () => {
    const { plan, job } = await importApp(admin, carrier.id, { datastoreId: imagesDs.id, name: "carried" });
    expect(job.state, job.error).toBe("SUCCEEDED");
    expect(plan.vmTemplates).toEqual([
      { name: "carried", app: { id: carrier.id, name: "a-with-vm" }, disks: ["carried"] },
    ]);
    const [image] = plan.created;
    expect(await imageRow(image.id)).toMatchObject({ state: "READY", sha256: img.a.sha256 });
    const vt = await templateNamed(admin, "vm-templates", "carried");
    expect(vt).toMatchObject({
      fromAppId: carrier.id,
      memoryMb: 256,
      disks: [
        { index: 0, imageId: image.id },
        { index: 1, imageId: null, type: "swap", size: "128" },
      ],
    });
    expect(await db().vmTemplate.count({ where: { fromAppId: carrier.id } })).toBe(1);
  });

  it("createVmTemplate=false: the image only", async () => {
    const { plan, job } = await importApp(admin, carrier.id, {
      datastoreId: imagesDs.id,
      name: "bare",
      createVmTemplate: false,
    });
    expect(job.state, job.error).toBe("SUCCEEDED");
    expect(plan.vmTemplates).toEqual([]);
    expect(await imageRow(plan.created[0].id)).toMatchObject({ state: "READY", name: "bare" });
    expect(await templateNamed(admin, "vm-templates", "bare")).toBeNull();
    expect(await db().vmTemplate.count({ where: { fromAppId: carrier.id } })).toBe(1);
  });
});

describe("same-named apps in two marketplaces", () => {
  it("each import takes the bytes of its own marketplace's children", async () => {
    const patVm = await createVmTemplate(
      p,
      "twin",
      `CPU = "1"\nMEMORY = "128"\nDISK = [ IMAGE_ID = "${img["pat-a"].id}" ]\nDISK = [ IMAGE_ID = "${img["pat-b"].id}" ]\n`,
    );
    const [fromWeb, fromBucket] = await Promise.all([
      publishComposite(admin, { marketplaceId: web.id, vmTemplateId: vm1.id, name: "twin" }),
      publishComposite(p, { marketplaceId: bucket.id, vmTemplateId: patVm.id, name: "twin" }),
    ]);
    const childNames = (app: Json) => app.children.map((c: Json) => c.app.name);
    expect(childNames(fromWeb)).toEqual(["twin-a", "twin-b"]);
    expect(childNames(fromBucket)).toEqual(["twin-a", "twin-b"]);

    for (const [app, originals, name] of [
      [fromWeb, [img.a, img.b], "twin-from-web"],
      [fromBucket, [img["pat-a"], img["pat-b"]], "twin-from-bucket"],
    ] as const) {
      const { job } = await importApp(admin, app.id, { datastoreId: imagesDs.id, name });
      expect(job.state, job.error).toBe("SUCCEEDED");
      const vt = await templateNamed(admin, "vm-templates", name);
      const disks = vt.disks.filter((x: Json) => x.imageId !== null);
      expect(disks).toHaveLength(2);
      for (const [k, disk] of disks.entries()) {
        const row = await imageRow(disk.imageId);
        expect(row.sha256).toBe(originals[k].sha256);
        expect(row.fromAppId).toBe(app.children[k].app.id);
      }
    }
    expect(img.a.sha256).not.toBe(img["pat-a"].sha256);
  });
});

describe("delete", () => {
  const fileOf = async (id: number) =>
    path.join(publicDir, (await db().marketplaceApp.findUniqueOrThrow({ where: { id } })).storageKey);

  it("a part is kept while a parent uses it; withChildren takes the parts its publish created", async () => {
    const keep = await publishComposite(admin, { marketplaceId: web.id, vmTemplateId: vm1.id, name: "keep" });
    const [c0, c1] = keep.children.map((c: Json) => c.app);
    const all = await publishComposite(admin, {
      marketplaceId: web.id,
      vmTemplateId: vm1.id,
      name: "all",
      disks: [{ appId: c0.id }],
    });
    const m1 = all.children[1].app;
    const files = { c0: await fileOf(c0.id), c1: await fileOf(c1.id), m1: await fileOf(m1.id) };
    const refused = await admin.delete(`/api/v1/apps/${c0.id}`);
    expectProblem(refused, 409);
    expect(refused.json.detail).toContain("keep");
    expect(refused.json.detail).toContain("all");
    expect(await appIds({ id: c0.id })).toEqual([c0.id]);

    // keep's own part c1 goes with it; c0, which "all" uses too, stays
    expect((await admin.delete(`/api/v1/apps/${keep.id}?withChildren=true`)).status).toBe(204);
    expect(await appIds({ id: { in: [keep.id, c0.id, c1.id] } })).toEqual([c0.id]);
    expect([existsSync(files.c0), existsSync(files.c1)]).toEqual([true, false]);
    // "all" created m1 and reused c0: m1 goes, c0 stays
    expect((await admin.delete(`/api/v1/apps/${all.id}?withChildren=true`)).status).toBe(204);
    expect(await appIds({ id: { in: [all.id, m1.id, c0.id] } })).toEqual([c0.id]);
    expect([existsSync(files.c0), existsSync(files.m1)]).toEqual([true, false]);
    expect((await admin.get(`/api/v1/apps/${c0.id}`)).json).toMatchObject({ state: "READY", parents: [] });

    // without withChildren the parent goes and its parts stay, bytes and all
    const plain = await publishComposite(admin, { marketplaceId: web.id, vmTemplateId: vm1.id, name: "plain" });
    const parts = plain.children.map((c: Json) => c.app.id);
    const partFiles = [await fileOf(parts[0]), await fileOf(parts[1])];
    expect((await admin.delete(`/api/v1/apps/${plain.id}`)).status).toBe(204);
    expect(await appIds({ id: { in: [plain.id, ...parts] } })).toEqual(parts);
    expect(partFiles.map((f) => existsSync(f))).toEqual([true, true]);

    // parts no one uses any more go on their own
    for (const id of [c0.id, ...parts]) expect((await admin.delete(`/api/v1/apps/${id}`)).status).toBe(204);
    expect([files.c0, ...partFiles].filter((f) => existsSync(f))).toEqual([]);
  });
});

describe("permissions on the parts", () => {
  it("a user who may not use one child app cannot import the parent; the error names the part", async () => {
    const guarded = await publishComposite(admin, { marketplaceId: web.id, vmTemplateId: vm1.id, name: "guarded" });
    const hidden = guarded.children[1].app;
    expect((await admin.post(`/api/v1/apps/${hidden.id}/chmod`, { permissions: "600" })).status).toBe(204);
    const seen = await d.get(`/api/v1/apps/${guarded.id}`);
    expect(seen.status).toBe(200);
    expect((await d.get(`/api/v1/apps/${hidden.id}`)).status).toBe(404);
    // the tree shows dave every part, the one he may not use by its id alone
    expect(seen.json.childCount).toBe(2);
    expect(seen.json.children).toHaveLength(2);
    expect(seen.json.children[0].app).toMatchObject({ id: guarded.children[0].app.id, name: expect.any(String) });
    expect(seen.json.children[1]).toEqual({ ...guarded.children[1], app: { id: hidden.id } });
    expect(seen.text).not.toContain(hidden.name);
    // and, from a part he may use, a composite app he may not use by its id alone
    expect((await admin.post(`/api/v1/apps/${guarded.id}/chmod`, { permissions: "600" })).status).toBe(204);
    const part = await d.get(`/api/v1/apps/${guarded.children[0].app.id}`);
    expect(part.json.parents).toEqual([{ id: guarded.id }]);
    expect(part.text).not.toContain(`"${guarded.name}"`);
    expect((await admin.post(`/api/v1/apps/${guarded.id}/chmod`, { permissions: "644" })).status).toBe(204);
    const body = { datastoreId: imagesDs.id, name: "taken-over" };
    const daves = () => db().image.count({ where: { ownerId: dave.id } });
    const before = await daves();
    for (const action of ["import-preview", "import"]) {
      const res = await d.post(`/api/v1/apps/${guarded.id}/${action}`, body);
      expectProblem(res, 404);
      expect(res.json.detail).toContain("DISK 1");
    }
    expect(await daves()).toBe(before);
    expect(await db().vmTemplate.count({ where: { ownerId: dave.id } })).toBe(0);
    // with USE on that part, the same import goes through
    expect((await admin.post(`/api/v1/apps/${hidden.id}/chmod`, { permissions: "644" })).status).toBe(204);
    expect((await d.post(`/api/v1/apps/${guarded.id}/import-preview`, body)).status).toBe(200);
  });

  it("publishing a VM template whose disk image the user may not use is refused, naming the disk", async () => {
    const secret = await createVmTemplate(
      admin,
      "secret",
      `CPU = "1"\nMEMORY = "128"\nDISK = [ IMAGE_ID = "${img.s1.id}" ]\n`,
    );
    expect((await admin.post(`/api/v1/vm-templates/${secret.id}/chown`, { ownerId: pat.id })).status).toBe(204);
    expect((await admin.post(`/api/v1/images/${img.s1.id}/chmod`, { permissions: "600" })).status).toBe(204);
    expect((await p.get(`/api/v1/vm-templates/${secret.id}`)).status).toBe(200);
    expect((await p.get(`/api/v1/images/${img.s1.id}`)).status).toBe(404);
    const before = await appIds();
    const res = await p.post("/api/v1/apps", { marketplaceId: bucket.id, vmTemplateId: secret.id, name: "secret" });
    expectProblem(res, 400, ["disks.0"]);
    expect(await appIds()).toEqual(before);
    expect(await imageRow(img.s1.id)).toMatchObject({ state: "READY", readers: 0 });
  });
});

describe("import checks", () => {
  it("a datastore without room for every image: 507, and nothing is created", async () => {
    const tiny = await admin.post("/api/v1/datastores", { name: "tiny", limitMb: 1 });
    expect(tiny.status, tiny.text).toBe(201);
    const counts = async () => [await db().image.count(), await db().vmTemplate.count(), await db().job.count()];
    const before = await counts();
    for (const action of ["import-preview", "import"]) {
      const res = await admin.post(`/api/v1/apps/${vmApp.id}/${action}`, {
        datastoreId: tiny.json.id,
        name: "too-big",
      });
      expectProblem(res, 507, ["datastoreId"]);
    }
    expect(await counts()).toEqual(before);
    expect(filesIn(tiny.json)).toEqual([]);
  });

  it("derived names already taken get the first free suffix; the name given must be free", async () => {
    const upload = await admin.post("/api/v1/images", {
      source: "upload",
      name: "coll-disk0",
      datastoreId: imagesDs.id,
      size: 10,
      type: "OS",
    });
    expect(upload.status, upload.text).toBe(201);
    const res = await admin.post(`/api/v1/apps/${vmApp.id}/import-preview`, { datastoreId: imagesDs.id, name: "coll" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.images.map((i: Json) => i.name)).toEqual(["coll-disk0_2", "coll-disk1"]);
    expect(res.json.vmTemplates).toEqual([
      { name: "coll", app: { id: vmApp.id, name: "vm-s3" }, disks: ["coll-disk0_2", "coll-disk1"] },
    ]);
    expectProblem(
      await admin.post(`/api/v1/apps/${vmApp.id}/import-preview`, { datastoreId: imagesDs.id, name: "vm1" }),
      409,
      ["name"],
    );
  });
});

describe("a cancelled composite publish", () => {
  it("a publish cancelled in the queue removes every app it created and releases the images", async () => {
    const apps = await appIds();
    const keys = await s3Keys(bucketClient(), BUCKET);
    let started!: Json;
    await whileStopped(async () => {
      started = await publish(admin, { marketplaceId: bucket.id, vmTemplateId: vm1.id, name: "called-off" });
      expect(started.children).toHaveLength(2);
      for (const image of [img.a, img.b]) expect(await imageRow(image.id)).toMatchObject({ state: "USED" });
      const cancel = await admin.post(`/api/v1/jobs/${started.job.id}/cancel`);
      expect(cancel.status, cancel.text).toBeLessThan(300);
    });
    expect((await settleJob(admin, started.job.id)).state).toBe("CANCELLED");
    expect(await appIds()).toEqual(apps);
    expect(await s3Keys(bucketClient(), BUCKET)).toEqual(keys);
    for (const image of [img.a, img.b]) expect(await imageRow(image.id)).toMatchObject({ state: "READY", readers: 0 });
  });
});

describe("an app of another zone", () => {
  it("imports like a local one: its images and VM template are created in this zone", async () => {
    const far = await admin.post("/api/v1/marketplaces", {
      name: "far",
      driver: "http",
      config: { publicDir: path.join(work, "far") },
    });
    expect(far.status, far.text).toBe(201);
    const app = await publishComposite(admin, { marketplaceId: far.json.id, vmTemplateId: vm1.id, name: "far-vm" });
    // as if another zone had published it: the marketplace and its apps belong to that zone
    const remote = await db().zone.create({ data: { name: "far-zone" } });
    await db().marketplace.update({ where: { id: far.json.id }, data: { zoneId: remote.id } });
    await db().marketplaceApp.updateMany({ where: { marketplaceId: far.json.id }, data: { zoneId: remote.id } });
    expect((await admin.get(`/api/v1/apps/${app.id}`)).json.zone.name).toBe("far-zone");

    const { plan, job } = await importApp(admin, app.id, { datastoreId: imagesDs.id, name: "from-far" });
    expect(job.state, job.error).toBe("SUCCEEDED");
    const here = (await localZone()).id;
    const vt = await db().vmTemplate.findFirstOrThrow({ where: { name: "from-far" } });
    expect(vt.zoneId).toBe(here);
    const images = await db().image.findMany({ where: { id: { in: plan.created.map((i: Json) => i.id) } } });
    expect(images.map((i) => [i.zoneId, i.state])).toEqual([
      [here, "READY"],
      [here, "READY"],
    ]);
    expect(images.map((i) => i.sha256)).toEqual([digests(bytes.a).sha256, digests(bytes.b).sha256]);
  });
});

describe("a composite publish retried after a transient failure", () => {
  it("keeps committed parts LOCKED until the parent is done, and does not upload them again", async () => {
    const pair = await createVmTemplate(
      admin,
      "pair",
      `CPU = "1"\nMEMORY = "64"\nDISK = [ IMAGE_ID = "${img.s1.id}" ]\nDISK = [ IMAGE_ID = "${img.s2.id}" ]\n`,
    );
    const file = await imageFile(img.s2.id);
    const good = readFileSync(file);
    let started!: Json;
    try {
      await whileStopped(async () => {
        started = await publish(admin, { marketplaceId: web.id, vmTemplateId: pair.id, name: "pair" });
        // the second image's bytes are missing for a while: a transient failure, retried
        rmSync(file);
      });
      const [first, second] = started.children.map((c: Json) => c.app);
      await waitFor("the first attempt to fail", async () => {
        const job = (await admin.get(`/api/v1/jobs/${started.job.id}`)).json;
        return job.attempts >= 1 && job.state === "QUEUED" && job.error ? job : null;
      });
      // the first part's bytes are in, but it is not READY (nor usable) before its parent
      const committed = await db().marketplaceApp.findUniqueOrThrow({ where: { id: first.id } });
      expect(committed).toMatchObject({ state: "LOCKED" });
      expect(committed.source).not.toBe("");
      expect((await admin.get(`/api/v1/apps/${second.id}`)).json.state).toBe("LOCKED");
      expect(await imageRow(img.s1.id)).toMatchObject({ state: "USED", readers: 1 });
      writeFileSync(file, good);
      const job = await settleJob(admin, started.job.id);
      expect(job, job.error).toMatchObject({ state: "SUCCEEDED", attempts: 2 });
      const app = (await admin.get(`/api/v1/apps/${started.id}`)).json;
      expect(app.state).toBe("READY");
      expect(app.children.map((c: Json) => c.app.state)).toEqual(["READY", "READY"]);
      for (const image of [img.s1, img.s2])
        expect(await imageRow(image.id)).toMatchObject({ state: "READY", readers: 0 });
    } finally {
      writeFileSync(file, good);
    }
  });
});
