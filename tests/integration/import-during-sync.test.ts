import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig, setConfigForTests, type Config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { parseTemplate } from "@/lib/templates/template-text";
import { ApiClient, createUser, signIn, signInAdmin, type Json } from "../helpers/api";
import {
  IDS,
  addAppliance,
  removeAppliance,
  startCatalogServer,
  type CatalogFile,
  type CatalogServer,
} from "../support/catalog-server";
import { allowLoopbackUrls, apiDatastore, waitFor, withWorker } from "../support/images";
import { settleJob, templateNamed } from "../support/markets";

/**
 * A public catalog's sync runs at every monitor, also while an import of one of its apps is
 * downloading: the VM template app may be deleted (its third miss) or relinked to a newer disk
 * app. The import makes its templates from what the apps carried when it was asked for, so
 * it ends as planned. The catalog's downloads are redirected to a server of this file that
 * holds every file halfway until the test releases it.
 */

let cat: CatalogServer;
let files: HoldingServer;
let admin: ApiClient;
let uma: ApiClient; // a plain user
let ds: Json; // a datastore uma may use
let market: Json;
let savedConfig: Config;

beforeAll(async () => {
  savedConfig = getConfig();
  cat = await startCatalogServer();
  files = await holdingServer(cat.state.files);
  // the files are on another loopback origin than the endpoint: the URL policy must allow it
  allowLoopbackUrls();
  cat.state.downloadOrigin = files.url;
  admin = await signInAdmin();
  uma = await signIn("uma", (await createUser(admin, "uma")).password);
  ds = await apiDatastore(admin, "images");
  expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "644" })).status).toBe(204);
  const res = await admin.post("/api/v1/marketplaces", {
    name: "fixtures",
    driver: "one",
    config: { endpoint: cat.url, version: "7.4" },
  });
  expect(res.status, res.text).toBe(201);
  market = res.json;
  await monitor();
});

afterAll(async () => {
  setConfigForTests(savedConfig);
  files?.release();
  await files?.close();
  await cat?.close();
});

interface HoldingServer {
  url: string;
  /** from now on, every download stops halfway until `release` */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

/** Serves `/files/<name>`: the headers and the first half at once, the rest once released. */
async function holdingServer(served: Record<string, CatalogFile>): Promise<HoldingServer> {
  let gate = Promise.resolve();
  let open = () => {};
  const server = http.createServer(async (req, res) => {
    const name = /^\/files\/([^/]+)$/.exec(req.url ?? "")?.[1];
    const file = name ? served[name] : undefined;
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.size });
    if (req.method === "HEAD") return res.end();
    const half = Math.floor(file.size / 2);
    res.write(file.bytes.subarray(0, half));
    await gate;
    if (!res.destroyed) res.end(file.bytes.subarray(half));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: () => (gate = new Promise((resolve) => (open = resolve))),
    release: () => open(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A successful monitor of the marketplace, as the admin. */
async function monitor() {
  const res = await admin.post(`/api/v1/marketplaces/${market.id}/monitor`);
  expect(res.status, res.text).toBe(200);
  expect(res.json.monitorError).toBe("");
}

async function appNamed(name: string): Promise<Json> {
  const res = await admin.get(`/api/v1/apps?marketplaceId=${market.id}&perPage=200`);
  expect(res.status, res.text).toBe(200);
  const found = res.json.items.find((a: Json) => a.name === name);
  if (!found) throw new Error(`the marketplace has no app named ${name}`);
  return (await admin.get(`/api/v1/apps/${found.id}`)).json;
}

/**
 * Imports an app as uma with its downloads held: `meanwhile` runs once the first bytes are in
 * (after `before`, which runs on the queued job before any worker sees it), then the downloads
 * go on and the job ends.
 */
async function importHeld(
  appId: number,
  name: string,
  meanwhile: () => Promise<void>,
  before: (jobId: number) => Promise<void> = async () => {},
) {
  files.hold();
  try {
    const res = await uma.post(`/api/v1/apps/${appId}/import`, { datastoreId: ds.id, name });
    expect(res.status, res.text).toBe(201);
    const jobId: number = res.json.jobId;
    await before(jobId);
    return await withWorker(async () => {
      try {
        await waitFor("the download to start", async () => (await uma.get(`/api/v1/jobs/${jobId}`)).json.bytesDone > 0);
        await meanwhile();
      } finally {
        // before the worker stops: it waits for the job
        files.release();
      }
      return { plan: res.json as Json, job: await settleJob(uma, jobId) };
    });
  } finally {
    files.release();
  }
}

const imageOf = async (id: number) => (await uma.get(`/api/v1/images/${id}`)).json;
const disksOf = (template: string) => parseTemplate(template).filter((a) => a.key === "DISK");

/** A job of before the snapshots: its payload names the apps only. */
async function withoutSnapshots(jobId: number) {
  const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
  const payload = JSON.parse(job.payload) as { vmTemplates: { snapshot?: unknown }[] };
  for (const v of payload.vmTemplates) delete v.snapshot;
  await db().job.update({ where: { id: jobId }, data: { payload: JSON.stringify(payload) } });
}

/** The catalog's way to publish a disk update: a new id and version under the same name, the old one withdrawn. */
function replaceDisk(oldId: string, newId: string, version: string) {
  const old = removeAppliance(cat.state, oldId);
  addAppliance(cat.state, { ...old, _id: { $oid: newId }, version });
}

describe("an import during a sync", () => {
  it("a VM template app deleted by the sync while its disks download: its VM template is still made", async () => {
    const app = await appNamed("Web Server");
    const { plan, job } = await importHeld(app.id, "web-gone", async () => {
      removeAppliance(cat.state, IDS.webVm);
      for (let i = 0; i < 3; i++) await monitor();
      expect((await admin.get(`/api/v1/apps/${app.id}`)).status).toBe(404);
    });
    expect(job.state, job.error).toBe("SUCCEEDED");
    const ids: number[] = plan.created.map((c: Json) => c.id);
    expect(ids).toHaveLength(2);
    for (const [i, f] of ["web-os.raw", "web-data.raw"].entries())
      expect(await imageOf(ids[i])).toMatchObject({ state: "READY", sha256: cat.state.files[f].sha256 });
    const vm = await templateNamed(uma, "vm-templates", "web-gone");
    expect(vm).toMatchObject({ fromAppId: app.id, description: app.description });
    expect(disksOf(vm!.template).map((a) => a.value)).toEqual(ids.map((id) => ({ IMAGE_ID: String(id) })));
    expect(parseTemplate(vm!.template)).toEqual(expect.arrayContaining([{ key: "MEMORY", value: "512" }]));
  });

  it("a VM template app relinked to a newer disk while its disk downloads: the template names the image imported", async () => {
    const app = await appNamed("Database");
    const oldDisk = await appNamed("DB disk");
    const { plan, job } = await importHeld(app.id, "db-relinked", async () => {
      replaceDisk(IDS.dbDisk, IDS.dbDisk2, "3.2");
      await monitor();
      const relinked = await appNamed("Database");
      const newDisk = relinked.children[0].app.id;
      expect(relinked.id).toBe(app.id);
      expect(newDisk).not.toBe(oldDisk.id);
      expect(disksOf(relinked.vmTemplate)).toEqual([{ key: "DISK", value: { APP_ID: String(newDisk) } }]);
      // the disk being downloaded goes too, at its third miss
      await monitor();
      await monitor();
      expect((await admin.get(`/api/v1/apps/${oldDisk.id}`)).status).toBe(404);
    });
    expect(job.state, job.error).toBe("SUCCEEDED");
    expect(plan.created).toHaveLength(1);
    const image = await imageOf(plan.created[0].id);
    expect(image).toMatchObject({
      state: "READY",
      fromAppId: oldDisk.id,
      sha256: cat.state.files["db-disk.raw"].sha256,
    });
    const vm = await templateNamed(uma, "vm-templates", "db-relinked");
    expect(vm).toMatchObject({ fromAppId: app.id });
    expect(disksOf(vm!.template)).toEqual([{ key: "DISK", value: { IMAGE_ID: String(image.id) } }]);
  });
});

describe("imports queued before their payload carried the templates", () => {
  it("read the app when their templates are made", async () => {
    const app = await appNamed("Alpine Linux 3.20 (2.0)");
    const { plan, job } = await importHeld(app.id, "alpine-queued", async () => {}, withoutSnapshots);
    expect(job.state, job.error).toBe("SUCCEEDED");
    const vm = await templateNamed(uma, "vm-templates", "alpine-queued");
    expect(vm).toMatchObject({ fromAppId: app.id, description: app.description });
    expect(disksOf(vm!.template)).toEqual([{ key: "DISK", value: { IMAGE_ID: String(plan.created[0].id) } }]);
  });

  it("fail at once, with nothing left, when the app now names disks the import did not bring", async () => {
    const app = await appNamed("Database");
    let newDisk = 0;
    const { plan, job } = await importHeld(
      app.id,
      "db-queued",
      async () => {
        replaceDisk(IDS.dbDisk2, "65a1f0c2e4b0a1b2c3d4e5b0", "3.3");
        await monitor();
        newDisk = (await appNamed("Database")).children[0].app.id;
      },
      withoutSnapshots,
    );
    expect(job.state).toBe("FAILED");
    expect(job.error).toContain(`names app ${newDisk} in DISK 0, which this import did not bring`);
    // a template that will not change on a retry is not retried
    expect(job.attempts).toBe(1);
    const left = await uma.get(`/api/v1/images/${plan.created[0].id}`);
    expect(left.status === 404 || left.json.state !== "READY", left.text).toBe(true);
    expect(await templateNamed(uma, "vm-templates", "db-queued")).toBeNull();
  });
});
