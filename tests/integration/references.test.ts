import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
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

/**
 * What a response or a message shows of another object it refers to when the viewer may not
 * use that object: its id alone. An image's datastore, an app's marketplace, a composite
 * app's parts and parents, and what the app services say about them. The apps are rows of
 * their own (no bytes, no worker): what is checked is what each viewer is told.
 */
let admin: ApiClient;
let b: ApiClient;
let bob: UserFixture;
let owner: { ownerId: number; groupId: number };
let zoneId: number;
let openDs: Json;
let openMarket: { id: number; name: string };
let secretMarket: { id: number; name: string };

const market = async (
  name: string,
  extra: { otherRights?: number; enabled?: boolean; ownerId?: number; groupId?: number } = {},
) =>
  db().marketplace.create({
    data: { name, zoneId, driver: "http", ownerRights: 6, groupRights: 0, otherRights: 0, ...owner, ...extra },
  });

const app = async (name: string, marketplaceId: number, extra: Record<string, unknown> = {}) =>
  db().marketplaceApp.create({
    data: {
      name,
      marketplaceId,
      zoneId,
      state: "READY",
      ownerRights: 6,
      groupRights: 4,
      otherRights: 4,
      ...owner,
      ...extra,
    },
  });

const link = (parentId: number, childId: number, position: number, slot: string) =>
  db().marketplaceAppChild.create({ data: { parentId, childId, position, slot } });

beforeAll(async () => {
  admin = await signInAdmin();
  const me = (await admin.get("/api/v1/session")).json.user;
  owner = { ownerId: me.id, groupId: me.primaryGroup.id };
  zoneId = (await localZone()).id;
  // bob's group may also publish, for the reuse check
  const publishers = await createGroup(admin, "ref-publishers", {
    createRights: ["IMAGE", "VM_TEMPLATE", "SERVICE_TEMPLATE", "MARKETPLACE_APP"],
  });
  bob = await createUser(admin, "bob", { primaryGroupId: publishers, groupIds: [publishers] });
  b = await signIn("bob", bob.password);
  const ds = await admin.post("/api/v1/datastores", { name: "ref-open-store" });
  expect(ds.status, ds.text).toBe(201);
  expect((await admin.post(`/api/v1/datastores/${ds.json.id}/chmod`, { permissions: "604" })).status).toBe(204);
  openDs = ds.json;
  openMarket = await market("ref-open-market", { otherRights: 4 });
  secretMarket = await market("ref-secret-market");
});

describe("an image's datastore", () => {
  it("is its id alone, in the detail and the list, for a viewer who may not use it", async () => {
    const ds = await admin.post("/api/v1/datastores", { name: "ref-secret-store" });
    expect(ds.status, ds.text).toBe(201);
    expect((await admin.post(`/api/v1/datastores/${ds.json.id}/chmod`, { permissions: "604" })).status).toBe(204);
    const img = await b.post("/api/v1/images", {
      source: "upload",
      name: "ref-image",
      datastoreId: ds.json.id,
      size: 10,
      type: "DATABLOCK",
    });
    expect(img.status, img.text).toBe(201);
    expect(img.json.datastore).toEqual({ id: ds.json.id, name: "ref-secret-store" });
    // the datastore closes; the image stays bob's
    expect((await admin.post(`/api/v1/datastores/${ds.json.id}/chmod`, { permissions: "600" })).status).toBe(204);

    const detail = await b.get(`/api/v1/images/${img.json.id}`);
    expect(detail.json.datastore).toEqual({ id: ds.json.id });
    expect(detail.text).not.toContain("ref-secret-store");
    const list = await b.get("/api/v1/images?q=ref-image");
    expect(list.json.items.map((i: Json) => i.datastore)).toEqual([{ id: ds.json.id }]);
    expect(list.text).not.toContain("ref-secret-store");
    const renamed = await b.patch(`/api/v1/images/${img.json.id}`, { description: "still mine" });
    expect(renamed.json.datastore).toEqual({ id: ds.json.id });
    expect((await admin.get(`/api/v1/images/${img.json.id}`)).json.datastore).toEqual({
      id: ds.json.id,
      name: "ref-secret-store",
    });
  });
});

describe("an app's marketplace", () => {
  it("is its id alone, in the detail and the catalog, for a viewer who may not use it", async () => {
    const a = await app("ref-secret-app", secretMarket.id);
    const detail = await b.get(`/api/v1/apps/${a.id}`);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.json.marketplace).toEqual({ id: secretMarket.id });
    expect(detail.text).not.toContain(secretMarket.name);
    const list = await b.get("/api/v1/apps?q=ref-secret-app");
    expect(list.json.items.map((i: Json) => i.marketplace)).toEqual([{ id: secretMarket.id }]);
    expect(list.text).not.toContain(secretMarket.name);
    expect((await admin.get(`/api/v1/apps/${a.id}`)).json.marketplace).toEqual({
      id: secretMarket.id,
      name: secretMarket.name,
      driver: "http",
      enabled: true,
    });
  });
});

describe("a composite app's parts and parents", () => {
  it("are their id alone for a viewer who may not use them, and a hidden part shows none of its own parts", async () => {
    const service = await app("ref-service", openMarket.id, { type: "SERVICE_TEMPLATE" });
    const hiddenVm = await app("ref-hidden-vm", openMarket.id, { type: "VMTEMPLATE", otherRights: 0 });
    const shownVm = await app("ref-shown-vm", openMarket.id, { type: "VMTEMPLATE" });
    const underHidden = await app("ref-under-hidden-disk", openMarket.id);
    const hiddenDisk = await app("ref-hidden-disk", openMarket.id, { otherRights: 0 });
    const secretDisk = await app("ref-disk-in-secret-market", secretMarket.id);
    await link(service.id, hiddenVm.id, 0, "web");
    await link(service.id, shownVm.id, 1, "db");
    await link(hiddenVm.id, underHidden.id, 0, "DISK 0");
    await link(shownVm.id, hiddenDisk.id, 0, "DISK 0");
    await link(shownVm.id, secretDisk.id, 1, "DISK 1");

    const seen = await b.get(`/api/v1/apps/${service.id}`);
    expect(seen.status, seen.text).toBe(200);
    expect(seen.json.childCount).toBe(2);
    expect(seen.json.children).toEqual([
      { position: 0, slot: "web", created: true, app: { id: hiddenVm.id } },
      {
        position: 1,
        slot: "db",
        created: true,
        app: expect.objectContaining({
          id: shownVm.id,
          name: "ref-shown-vm",
          marketplace: { id: openMarket.id, name: openMarket.name },
          children: [
            { position: 0, slot: "DISK 0", created: true, app: { id: hiddenDisk.id } },
            {
              position: 1,
              slot: "DISK 1",
              created: true,
              app: expect.objectContaining({ id: secretDisk.id, marketplace: { id: secretMarket.id } }),
            },
          ],
        }),
      },
    ]);
    for (const name of ["ref-hidden-vm", "ref-under-hidden-disk", "ref-hidden-disk", secretMarket.name])
      expect(seen.text).not.toContain(name);
    // the admin sees the whole tree
    const all = (await admin.get(`/api/v1/apps/${service.id}`)).json;
    expect(all.children[0].app).toMatchObject({ name: "ref-hidden-vm", children: [{ app: { id: underHidden.id } }] });

    const part = await b.get(`/api/v1/apps/${underHidden.id}`);
    expect(part.json.parents).toEqual([{ id: hiddenVm.id }]);
    expect(part.text).not.toContain("ref-hidden-vm");
    expect((await b.get(`/api/v1/apps/${shownVm.id}`)).json.parents).toEqual([
      { id: service.id, name: "ref-service", type: "SERVICE_TEMPLATE" },
    ]);
  });
});

describe("what the app services say", () => {
  it("a marketplace delete refused for a busy app names an app the deleter may not use by its id alone", async () => {
    // bob's own marketplace holds a private app of the admin's that is still being published
    const bobs = await market("ref-bobs-market", { ownerId: bob.id, groupId: bob.primaryGroup.id });
    const busy = await app("ref-secret-busy", bobs.id, { state: "LOCKED", groupRights: 0, otherRights: 0 });
    const res = await b.delete(`/api/v1/marketplaces/${bobs.id}?deleteApps=true`);
    expectProblem(res, 409);
    expect(res.json.detail).toBe(`App #${busy.id} is still being published; wait or cancel its job`);
    expect(res.text).not.toContain("ref-secret-busy");
  });

  it("a delete refused for a parent names a parent the user may not use by its id alone", async () => {
    const mine = await app("ref-bobs-part", openMarket.id, { ownerId: bob.id, groupId: bob.primaryGroup.id });
    const parent = await app("ref-secret-parent", openMarket.id, { type: "VMTEMPLATE", otherRights: 0 });
    await link(parent.id, mine.id, 0, "DISK 0");
    const refused = await b.delete(`/api/v1/apps/${mine.id}`);
    expectProblem(refused, 409);
    expect(refused.json.detail).toContain(`is a part of #${parent.id}`);
    expect(refused.text).not.toContain("ref-secret-parent");
  });

  it("an import from a disabled marketplace the user may not use names it by its id alone", async () => {
    const closed = await market("ref-secret-closed-market", { enabled: false });
    const a = await app("ref-closed-app", closed.id);
    const res = await b.post(`/api/v1/apps/${a.id}/import-preview`, { datastoreId: openDs.id, name: "ref-x" });
    expectProblem(res, 409);
    expect(res.json.detail).toBe(`Marketplace #${closed.id} is disabled; its apps cannot be imported`);
  });

  it("an import's job names a marketplace the user may not use by its id alone", async () => {
    const a = await app("ref-importable", secretMarket.id);
    const res = await b.post(`/api/v1/apps/${a.id}/import`, { datastoreId: openDs.id, name: "ref-imported" });
    expect(res.status, res.text).toBe(201);
    const job = (await b.get(`/api/v1/jobs/${res.json.jobId}`)).json;
    expect(job.title).toBe(`Import app ref-importable from marketplace #${secretMarket.id} into ref-open-store`);
    // cancelled at once: no worker runs here
    expect((await b.post(`/api/v1/jobs/${res.json.jobId}/cancel`)).status).toBe(200);
  });

  it("a rename that clashes names a marketplace the user may not use by its id alone", async () => {
    await app("ref-taken", secretMarket.id);
    const mine = await app("ref-bobs-app", secretMarket.id, { ownerId: bob.id, groupId: bob.primaryGroup.id });
    const res = await b.patch(`/api/v1/apps/${mine.id}`, { name: "ref-taken" });
    expectProblem(res, 409, ["name"]);
    expect(res.json.detail).toBe(`marketplace #${secretMarket.id} already has an app named "ref-taken"`);
  });

  it("a reused part of another marketplace names one the user may not use by its id alone", async () => {
    const img = await b.post("/api/v1/images", {
      source: "upload",
      name: "ref-publish-disk",
      datastoreId: openDs.id,
      size: 10,
      type: "DATABLOCK",
    });
    expect(img.status, img.text).toBe(201);
    const vm = await b.post("/api/v1/vm-templates", {
      name: "ref-publish-vm",
      template: `CPU = 1\nMEMORY = 64\nDISK = [ IMAGE_ID = "${img.json.id}" ]`,
    });
    expect(vm.status, vm.text).toBe(201);
    const reused = await app("ref-reused-elsewhere", secretMarket.id, {
      ownerId: bob.id,
      groupId: bob.primaryGroup.id,
    });
    const res = await b.post("/api/v1/apps", {
      marketplaceId: openMarket.id,
      vmTemplateId: vm.json.id,
      name: "ref-published",
      disks: [{ appId: reused.id }],
    });
    expectProblem(res, 400, ["disks.0.appId"]);
    expect(res.json.detail).toBe(
      `app ref-reused-elsewhere is in marketplace #${secretMarket.id}; parts must be in the same one`,
    );
  });
});
