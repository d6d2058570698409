import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { startWorker } from "@/lib/jobs/worker";
import { localZone } from "@/lib/zones/local-zone";
import {
  ApiClient,
  createGroup,
  createUser,
  expectProblem,
  groupIdOf,
  signIn,
  signInAdmin,
  type Json,
  type UserFixture,
} from "../helpers/api";
import { allowLoopbackUrls, randomPayload, serveBytes, waitFor } from "../support/images";

/**
 * Datastores through the API: creation and its rights, updates, capacity, deletion,
 * chmod/chown, what owning one means for deleting users and groups, and zone scoping.
 */
const MiB = 1024 * 1024;
let admin: ApiClient;
let worker: ReturnType<typeof startWorker>;
let server: Awaited<ReturnType<typeof serveBytes>>;
let storageGroup: number;
let otherGroup: number;
let erin: UserFixture;
let e: ApiClient;
let adminId: number;
const small = randomPayload(100 * 1024);
const medium = randomPayload(300 * 1024);

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  adminId = (await admin.get("/api/v1/session")).json.user.id;
  worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, log: () => {} });
  server = await serveBytes({ "/small.raw": small.data, "/medium.raw": medium.data });
  // erin's groups may create images but not (yet) datastores
  storageGroup = await createGroup(admin, "storage", { createRights: ["IMAGE"] });
  otherGroup = await createGroup(admin, "other-team");
  erin = await createUser(admin, "erin", { primaryGroupId: storageGroup, groupIds: [storageGroup] });
  e = await signIn("erin", erin.password);
});

afterAll(async () => {
  await worker.stop();
  await server.close();
});

async function createDs(client: ApiClient, body: Record<string, unknown>) {
  const res = await client.post("/api/v1/datastores", body);
  expect(res.status, res.text).toBe(201);
  return res.json as Json;
}

/** A READY image imported from the test server. */
async function readyImage(client: ApiClient, dsId: number, name: string, urlPath: string, type = "DATABLOCK") {
  const res = await client.post("/api/v1/images", {
    source: "url",
    url: server.url(urlPath),
    name,
    datastoreId: dsId,
    type,
  });
  expect(res.status, res.text).toBe(201);
  return waitFor(`image ${name} to be READY`, async () => {
    const img = (await client.get(`/api/v1/images/${res.json.id}`)).json;
    if (img.state === "ERROR") throw new Error(`image ${name} failed: ${img.error}`);
    return img.state === "READY" ? (img as Json) : null;
  });
}

/** Lets erin's group create datastores (idempotent; the create test checks the refusal first). */
async function grantDatastoreRight() {
  const res = await admin.patch(`/api/v1/groups/${storageGroup}`, { createRights: ["IMAGE", "DATASTORE"] });
  expect(res.status, res.text).toBe(200);
}

describe("create", () => {
  it("makes the default directory under the data dir and answers 201 with the DTO", async () => {
    const res = await admin.post("/api/v1/datastores", { name: "main", description: "the first" });
    expect(res.status, res.text).toBe(201);
    const ds = res.json;
    expect(ds.basePath).toBe(path.join(getConfig().dataDir, "datastores", String(ds.id)));
    expect(existsSync(ds.basePath)).toBe(true);
    expect(ds).toMatchObject({
      name: "main",
      type: "IMAGE",
      driver: "fs",
      zone: { id: (await localZone()).id, name: (await localZone()).name },
      requiredFormat: "any",
      limitMb: null,
      enabled: true,
      state: "ENABLED",
      description: "the first",
      imageCount: 0,
      capacity: { usedBytes: 0, limitBytes: null, error: null },
      owner: { name: "admin" },
      // admins create with 777 & ~umask 177
      permissions: { octal: "600", text: "um- --- ---" },
    });
    expect(ds.capacity.totalBytes).toBeGreaterThan(0);
    expect(ds.capacity.freeBytes).toBeGreaterThan(0);
    expect(ds.capacity.freeBytes).toBeLessThanOrEqual(ds.capacity.totalBytes);
    expect((await admin.get(`/api/v1/datastores/${ds.id}`)).json).toEqual(
      expect.objectContaining({ id: ds.id, basePath: ds.basePath }),
    );
  });

  it("refuses a name taken in the zone (409 name) and bad input (400)", async () => {
    await createDs(admin, { name: "taken" });
    expectProblem(await admin.post("/api/v1/datastores", { name: "taken", type: "FILE" }), 409, ["name"]);
    expectProblem(await admin.post("/api/v1/datastores", { name: "x", type: "BLOCK" }), 400, ["type"]);
    expectProblem(await admin.post("/api/v1/datastores", { name: "x", requiredFormat: "vmdk" }), 400, [
      "requiredFormat",
    ]);
    expectProblem(await admin.post("/api/v1/datastores", { name: "x", limitMb: 0 }), 400, ["limitMb"]);
    expectProblem(await admin.post("/api/v1/datastores", { name: "x", basePath: "relative/dir" }), 400, ["basePath"]);
  });

  it("lets an admin choose the directory, but not one another datastore uses or the data directory", async () => {
    const outside = mkdtempSync(path.join(tmpdir(), "bazaar-chosen-"));
    try {
      const dir = path.join(outside, "store");
      const ds = await createDs(admin, { name: "chosen", basePath: dir });
      expect(ds.basePath).toBe(dir);
      expect(existsSync(dir)).toBe(true);
      expectProblem(await admin.post("/api/v1/datastores", { name: "chosen-2", basePath: `${dir}/` }), 409, [
        "basePath",
      ]);
      expectProblem(await admin.post("/api/v1/datastores", { name: "chosen-3", basePath: `${dir}/inner` }), 409, [
        "basePath",
      ]);
      expectProblem(await admin.post("/api/v1/datastores", { name: "chosen-4", basePath: outside }), 409, ["basePath"]);
      const inData = path.join(getConfig().dataDir, "datastores", "999");
      expectProblem(await admin.post("/api/v1/datastores", { name: "chosen-5", basePath: inData }), 400, ["basePath"]);
      expectProblem(
        await admin.post("/api/v1/datastores", { name: "chosen-6", basePath: path.dirname(getConfig().dataDir) }),
        400,
        ["basePath"],
      );
      expect((await admin.delete(`/api/v1/datastores/${ds.id}`)).status).toBe(204);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("needs the DATASTORE create right; with it a user creates one but may not choose its directory", async () => {
    expectProblem(await e.post("/api/v1/datastores", { name: "erins" }), 403);
    await grantDatastoreRight();

    const ds = await createDs(e, { name: "erins" });
    // users create with 666 & ~umask 177
    expect(ds).toMatchObject({
      owner: { id: erin.id },
      group: { id: storageGroup, name: "storage" },
      permissions: { octal: "600" },
    });
    expect(ds.basePath).toBe(path.join(getConfig().dataDir, "datastores", String(ds.id)));
    expectProblem(
      await e.post("/api/v1/datastores", { name: "erins-2", basePath: path.join(getConfig().dataDir, "mine") }),
      403,
    );
    expect(existsSync(path.join(getConfig().dataDir, "mine"))).toBe(false);
  });
});

describe("update", () => {
  it("renames (409 on a taken name), sets the limit and the format requirement", async () => {
    const ds = await createDs(admin, { name: "upd" });
    await createDs(admin, { name: "upd-other" });
    expectProblem(await admin.patch(`/api/v1/datastores/${ds.id}`, { name: "upd-other" }), 409, ["name"]);
    expectProblem(await admin.patch(`/api/v1/datastores/${ds.id}`, {}), 400);
    const res = await admin.patch(`/api/v1/datastores/${ds.id}`, {
      name: "upd-renamed",
      limitMb: 5,
      requiredFormat: "qcow2",
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      name: "upd-renamed",
      limitMb: 5,
      requiredFormat: "qcow2",
      capacity: { totalBytes: 5 * MiB, freeBytes: 5 * MiB, limitBytes: 5 * MiB },
    });
    // the same name is not a conflict with itself
    expect(
      (await admin.patch(`/api/v1/datastores/${ds.id}`, { name: "upd-renamed", limitMb: null })).json,
    ).toMatchObject({ limitMb: null, capacity: { limitBytes: null } });
  });

  it("a disabled datastore takes no new images (409 naming datastoreId) until enabled again", async () => {
    const ds = await createDs(admin, { name: "switch" });
    expect((await admin.patch(`/api/v1/datastores/${ds.id}`, { enabled: false })).json).toMatchObject({
      enabled: false,
      state: "DISABLED",
    });
    const body = { source: "upload", name: "to-disabled", datastoreId: ds.id, size: 1024, type: "DATABLOCK" };
    const res = await admin.post("/api/v1/images", body);
    expectProblem(res, 409, ["datastoreId"]);
    expect(res.json.code).toBe("WRONG_STATE");
    expect((await admin.patch(`/api/v1/datastores/${ds.id}`, { enabled: true })).json.state).toBe("ENABLED");
    expect((await admin.post("/api/v1/images", body)).status).toBe(201);
  });

  it("an image's type must fit the datastore's type", async () => {
    const file = await createDs(admin, { name: "files", type: "FILE" });
    const upload = (type: string, name: string) =>
      admin.post("/api/v1/images", { source: "upload", name, datastoreId: file.id, size: 10, type });
    for (const type of ["OS", "CDROM", "DATABLOCK"]) expectProblem(await upload(type, `f-${type}`), 400, ["type"]);
    for (const type of ["KERNEL", "RAMDISK", "CONTEXT"]) expect((await upload(type, `f-${type}`)).status).toBe(201);
    const image = await createDs(admin, { name: "images-only" });
    expectProblem(
      await admin.post("/api/v1/images", {
        source: "upload",
        name: "k",
        datastoreId: image.id,
        size: 10,
        type: "KERNEL",
      }),
      400,
      ["type"],
    );
  });
});

describe("capacity", () => {
  it("counts the images' sizes as used; the limit caps total and free, and refuses what does not fit", async () => {
    const ds = await createDs(admin, { name: "cap", limitMb: 1 });
    await readyImage(admin, ds.id, "cap-1", "/small.raw");
    await readyImage(admin, ds.id, "cap-2", "/medium.raw");
    const used = small.data.length + medium.data.length;
    const got = (await admin.get(`/api/v1/datastores/${ds.id}`)).json;
    expect(got.imageCount).toBe(2);
    expect(got.capacity).toEqual({
      totalBytes: MiB,
      freeBytes: MiB - used,
      usedBytes: used,
      limitBytes: MiB,
      error: null,
    });
    expect(
      (await admin.get("/api/v1/datastores?perPage=200")).json.items.find((d: Json) => d.id === ds.id).capacity
        .usedBytes,
    ).toBe(used);

    const tooBig = await admin.post("/api/v1/images", {
      source: "upload",
      name: "cap-3",
      datastoreId: ds.id,
      size: MiB - used + 1,
      type: "DATABLOCK",
    });
    expectProblem(tooBig, 507, ["size"]);
    expect(tooBig.json.detail).toMatch(/^not enough space in datastore cap: need .+, free .+$/);
    expect(
      (
        await admin.post("/api/v1/images", {
          source: "upload",
          name: "cap-3",
          datastoreId: ds.id,
          size: MiB - used,
          type: "DATABLOCK",
        })
      ).status,
    ).toBe(201);
  });
});

describe("delete", () => {
  it("is refused while the datastore holds images, allowed when empty, and removes its default directory", async () => {
    const ds = await createDs(admin, { name: "doomed" });
    const img = await readyImage(admin, ds.id, "doomed-img", "/small.raw");
    const refused = await admin.delete(`/api/v1/datastores/${ds.id}`);
    expectProblem(refused, 409);
    expect(refused.json.detail).toContain("doomed");
    expect((await admin.delete(`/api/v1/images/${img.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/v1/datastores/${ds.id}`)).status).toBe(204);
    expect(existsSync(ds.basePath)).toBe(false);
    expectProblem(await admin.get(`/api/v1/datastores/${ds.id}`), 404);
    expectProblem(await admin.delete(`/api/v1/datastores/${ds.id}`), 404);
  });
});

describe("chmod and chown", () => {
  beforeAll(grantDatastoreRight);

  it("chmod needs MANAGE; changing an ADMIN bit needs ADMIN", async () => {
    const ds = await createDs(e, { name: "erins-perm" }); // 600: erin has USE+MANAGE, not ADMIN
    expect((await e.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "644" })).status).toBe(204);
    expectProblem(await e.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "744" }), 403);
    expectProblem(await e.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "645" }), 403);
    expectProblem(await e.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "64" }), 400, ["permissions"]);
    expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "744" })).status).toBe(204);
    expect((await e.get(`/api/v1/datastores/${ds.id}`)).json.permissions).toMatchObject({
      octal: "744",
      text: "uma u-- u--",
    });

    // other USE lets frank see it, but not change it
    const frank = await createUser(admin, "frank");
    const f = await signIn("frank", frank.password);
    expect((await f.get(`/api/v1/datastores/${ds.id}`)).status).toBe(200);
    expectProblem(await f.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "777" }), 403);
    expectProblem(await f.post(`/api/v1/datastores/${ds.id}/chown`, { groupId: frank.primaryGroup.id }), 403);
    expectProblem(await f.patch(`/api/v1/datastores/${ds.id}`, { description: "mine" }), 403);
    expectProblem(await f.delete(`/api/v1/datastores/${ds.id}`), 403);
    // holding ADMIN now, erin may drop it again; without other USE frank no longer sees it
    expect((await e.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "640" })).status).toBe(204);
    expectProblem(await f.get(`/api/v1/datastores/${ds.id}`), 404);
    expectProblem(await f.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "777" }), 404);
  });

  it("chown: another owner is admin-only; a group only one you belong to; unknown ids are 400", async () => {
    const ds = await createDs(e, { name: "erins-own" });
    expectProblem(await e.post(`/api/v1/datastores/${ds.id}/chown`, { ownerId: adminId }), 403);
    expectProblem(await e.post(`/api/v1/datastores/${ds.id}/chown`, { groupId: otherGroup }), 403);
    expectProblem(await e.post(`/api/v1/datastores/${ds.id}/chown`, { groupId: 999999 }), 400, ["groupId"]);
    expectProblem(await e.post(`/api/v1/datastores/${ds.id}/chown`, {}), 400);
    // no change is no error
    expect(
      (await e.post(`/api/v1/datastores/${ds.id}/chown`, { ownerId: erin.id, groupId: storageGroup })).status,
    ).toBe(204);

    await admin.post(`/api/v1/groups/${otherGroup}/members`, { userId: erin.id });
    expect((await e.post(`/api/v1/datastores/${ds.id}/chown`, { groupId: otherGroup })).status).toBe(204);
    expect((await e.get(`/api/v1/datastores/${ds.id}`)).json.group).toEqual({ id: otherGroup, name: "other-team" });

    expectProblem(await admin.post(`/api/v1/datastores/${ds.id}/chown`, { ownerId: 999999 }), 400, ["ownerId"]);
    expectProblem(await admin.post(`/api/v1/datastores/${ds.id}/chown`, { groupId: 999999 }), 400, ["groupId"]);
    expect(
      (await admin.post(`/api/v1/datastores/${ds.id}/chown`, { ownerId: adminId, groupId: storageGroup })).status,
    ).toBe(204);
    expect((await admin.get(`/api/v1/datastores/${ds.id}`)).json).toMatchObject({
      owner: { id: adminId },
      group: { id: storageGroup },
    });
    // erin keeps nothing on it: owner bits are admin's now, group bits are 0
    expectProblem(await e.get(`/api/v1/datastores/${ds.id}`), 404);
  });

  it("chown of an image to a user who has an image of that name is 409, not 500", async () => {
    const ds = await createDs(admin, { name: "names" });
    await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "604" });
    const mine = await admin.post("/api/v1/images", {
      source: "upload",
      name: "same-name",
      datastoreId: ds.id,
      size: 10,
      type: "DATABLOCK",
    });
    const hers = await e.post("/api/v1/images", {
      source: "upload",
      name: "same-name",
      datastoreId: ds.id,
      size: 10,
      type: "DATABLOCK",
    });
    expect([mine.status, hers.status]).toEqual([201, 201]);
    expectProblem(await admin.post(`/api/v1/images/${mine.json.id}/chown`, { ownerId: erin.id }), 409, ["ownerId"]);
    expect((await admin.get(`/api/v1/images/${mine.json.id}`)).json.owner.name).toBe("admin");
  });
});

describe("owning datastores and images", () => {
  it("a user who owns a datastore cannot be deleted (409 naming it) until it is handed over", async () => {
    const gina = await createUser(admin, "gina");
    const ds = await createDs(admin, { name: "ginas" });
    await admin.post(`/api/v1/datastores/${ds.id}/chown`, { ownerId: gina.id });
    const res = await admin.delete(`/api/v1/users/${gina.id}`);
    expectProblem(res, 409);
    expect(res.json.detail).toMatch(/gina still owns 1 datastore/);
    await admin.post(`/api/v1/datastores/${ds.id}/chown`, { ownerId: adminId });
    expect((await admin.delete(`/api/v1/users/${gina.id}`)).status).toBe(204);
  });

  it("a group that owns images cannot be deleted (409)", async () => {
    const group = await createGroup(admin, "image-holders");
    const ds = await createDs(admin, { name: "held" });
    const img = await admin.post("/api/v1/images", {
      source: "upload",
      name: "held-img",
      datastoreId: ds.id,
      size: 10,
      type: "DATABLOCK",
    });
    expect((await admin.post(`/api/v1/images/${img.json.id}/chown`, { groupId: group })).status).toBe(204);
    const res = await admin.delete(`/api/v1/groups/${group}`);
    expectProblem(res, 409);
    expect(res.json.detail).toMatch(/1 image/);
    expect((await admin.delete(`/api/v1/images/${img.json.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/v1/groups/${group}`)).status).toBe(204);
  });
});

describe("zones", () => {
  it("a datastore of another zone does not exist here", async () => {
    const remote = await db().zone.create({ data: { name: "remote-zone" } });
    const adminsGroup = await groupIdOf(admin, "admins");
    const ds = await db().datastore.create({
      data: {
        name: "elsewhere",
        zoneId: remote.id,
        basePath: path.join(getConfig().dataDir, "remote-ds"),
        ownerId: adminId,
        groupId: adminsGroup,
        otherRights: 4,
      },
    });
    expectProblem(await admin.get(`/api/v1/datastores/${ds.id}`), 404);
    expectProblem(await admin.patch(`/api/v1/datastores/${ds.id}`, { description: "x" }), 404);
    expectProblem(await admin.delete(`/api/v1/datastores/${ds.id}`), 404);
    expectProblem(await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "644" }), 404);
    expectProblem(await admin.post(`/api/v1/datastores/${ds.id}/chown`, { groupId: adminsGroup }), 404);
    expectProblem(
      await admin.post("/api/v1/images", {
        source: "upload",
        name: "remote-img",
        datastoreId: ds.id,
        size: 10,
        type: "DATABLOCK",
      }),
      404,
    );
    expect((await admin.get("/api/v1/datastores?perPage=200")).json.items.map((d: Json) => d.name)).not.toContain(
      "elsewhere",
    );
    // the same name is free in this zone
    await createDs(admin, { name: "elsewhere" });
  });
});
