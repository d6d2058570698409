import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import {
  ApiClient,
  createGroup,
  createUser,
  expectProblem,
  groupIdOf,
  signIn,
  signInAdmin,
  type Json,
} from "../helpers/api";
import { apiDatastore } from "../support/images";

let admin: ApiClient;
let bobClient: ApiClient;
let usersGroup: number;
let devs: number;
let ops: number;
let zoneId: number;
let ds1: Json; // datastores of this zone
let ds2: Json;
let market: Json; // a marketplace of this zone
let remoteZone: number; // another zone, with a datastore and a marketplace of its own
let remoteDs: number;
let remoteMarket: number;
const work = mkdtempSync(path.join(tmpdir(), "bazaar-vdcs-"));

beforeAll(async () => {
  admin = await signInAdmin();
  usersGroup = await groupIdOf(admin, "users");
  devs = await createGroup(admin, "devs");
  ops = await createGroup(admin, "ops");
  const bob = await createUser(admin, "bob", { primaryGroupId: devs });
  bobClient = await signIn("bob", bob.password);
  zoneId = (await admin.get("/api/v1/session")).json.zone.id;
  ds1 = await apiDatastore(admin, "ds-one");
  ds2 = await apiDatastore(admin, "ds-two");
  const mk = await admin.post("/api/v1/marketplaces", {
    name: "vdc-market",
    driver: "http",
    config: { publicDir: path.join(work, "market") },
  });
  expect(mk.status, mk.text).toBe(201);
  market = mk.json;
  // the periodic monitor is not what these tests are about
  await db().marketplace.updateMany({ data: { monitorDueAt: new Date(Date.now() + 3600_000) } });

  const adminRow = await db().user.findFirstOrThrow({ where: { username: "admin" } });
  remoteZone = (await db().zone.create({ data: { name: "remote-zone" } })).id;
  remoteDs = (
    await db().datastore.create({
      data: {
        name: "far-ds",
        zoneId: remoteZone,
        basePath: path.join(getConfig().dataDir, "far-ds"),
        ownerId: adminRow.id,
        groupId: adminRow.primaryGroupId,
      },
    })
  ).id;
  remoteMarket = (
    await db().marketplace.create({
      data: {
        name: "far-market",
        zoneId: remoteZone,
        driver: "http",
        config: JSON.stringify({ publicDir: "/srv/far", baseUrl: "https://far.example.com/apps" }),
        ownerId: adminRow.id,
        groupId: adminRow.primaryGroupId,
        monitorDueAt: new Date(Date.now() + 3600_000),
      },
    })
  ).id;
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const names = (res: { json: { items: { name: string }[] } }) => res.json.items.map((v) => v.name);

describe("VDCs", () => {
  it("an admin creates a VDC with groups and resources", async () => {
    const res = await admin.post("/api/v1/vdcs", {
      name: "dev-vdc",
      description: "for developers",
      groupIds: [devs, devs],
      resources: [{ zoneId, resourceType: "DATASTORE", resourceId: ds1.id }],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(Number),
      name: "dev-vdc",
      description: "for developers",
      groups: [{ id: devs, name: "devs" }],
      resources: [
        { zoneId, zoneName: "default", resourceType: "DATASTORE", resourceId: ds1.id, resourceName: "ds-one" },
      ],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expectProblem(await admin.post("/api/v1/vdcs", { name: "dev-vdc" }), 409, ["name"]);
  });

  it("answers 400 naming groupIds for an unknown group, and resources for an unknown zone", async () => {
    expectProblem(await admin.post("/api/v1/vdcs", { name: "broken", groupIds: [devs, 987654] }), 400, ["groupIds"]);
    const badZone = await admin.post("/api/v1/vdcs", {
      name: "broken",
      resources: [{ zoneId: 987654, resourceType: "DATASTORE", resourceId: ds1.id }],
    });
    expectProblem(badZone, 400, ["resources"]);
    expect(names(await admin.get("/api/v1/vdcs"))).not.toContain("broken");
  });

  it("a non-admin sees only VDCs that contain one of their groups", async () => {
    const opsVdc = await admin.post("/api/v1/vdcs", { name: "ops-vdc", groupIds: [ops] });
    expect(opsVdc.status).toBe(201);
    const list = await bobClient.get("/api/v1/vdcs");
    expect(list.status).toBe(200);
    expect(names(list)).toEqual(["dev-vdc"]);
    expect(list.json.total).toBe(1);
    expectProblem(await bobClient.get(`/api/v1/vdcs/${opsVdc.json.id}`), 404);
    expect(names(await admin.get("/api/v1/vdcs?sort=name"))).toEqual(["dev-vdc", "ops-vdc"]);
  });

  it("an admin changes a VDC's groups; visibility follows", async () => {
    const vdc = (await admin.get("/api/v1/vdcs?q=ops-vdc")).json.items[0];
    const res = await admin.patch(`/api/v1/vdcs/${vdc.id}`, { groupIds: [ops, devs], description: "shared now" });
    expect(res.status).toBe(200);
    expect(res.json.groups).toEqual([
      { id: devs, name: "devs" },
      { id: ops, name: "ops" },
    ]);
    expect(res.json.description).toBe("shared now");
    expect((await bobClient.get(`/api/v1/vdcs/${vdc.id}`)).status).toBe(200);
    expectProblem(await admin.patch(`/api/v1/vdcs/${vdc.id}`, { groupIds: [usersGroup, 987654] }), 400, ["groupIds"]);
    expectProblem(await admin.patch(`/api/v1/vdcs/${vdc.id}`, { name: "dev-vdc" }), 409, ["name"]);
    expectProblem(await admin.patch("/api/v1/vdcs/987654", { description: "x" }), 404);
  });

  it("non-admins get 403 on writes", async () => {
    const vdc = (await bobClient.get("/api/v1/vdcs")).json.items[0];
    expectProblem(await bobClient.post("/api/v1/vdcs", { name: "mine" }), 403);
    expectProblem(await bobClient.patch(`/api/v1/vdcs/${vdc.id}`, { description: "mine" }), 403);
    expectProblem(await bobClient.delete(`/api/v1/vdcs/${vdc.id}`), 403);
  });

  it("an admin deletes a VDC", async () => {
    const vdc = (await admin.get("/api/v1/vdcs?q=dev-vdc")).json.items[0];
    expect((await admin.delete(`/api/v1/vdcs/${vdc.id}`)).status).toBe(204);
    expectProblem(await admin.get(`/api/v1/vdcs/${vdc.id}`), 404);
    expectProblem(await admin.delete(`/api/v1/vdcs/${vdc.id}`), 404);
    expect(names(await admin.get("/api/v1/vdcs"))).toEqual(["ops-vdc"]);
  });
});

/** A VDC's resources in a stable order (the API keeps the order they were stored in). */
const byKey = (resources: Json[]) =>
  [...resources].sort((a, b) =>
    `${a.resourceType}/${a.zoneId}/${a.resourceId ?? 0}`.localeCompare(
      `${b.resourceType}/${b.zoneId}/${b.resourceId ?? 0}`,
    ),
  );

describe("VDC resources", () => {
  it("names datastores and marketplaces of any zone, or all of a zone's; the DTO names each", async () => {
    const res = await admin.post("/api/v1/vdcs", {
      name: "res-vdc",
      groupIds: [ops],
      resources: [
        { zoneId, resourceType: "DATASTORE", resourceId: ds1.id },
        { zoneId, resourceType: "MARKETPLACE", resourceId: market.id },
        { zoneId: remoteZone, resourceType: "DATASTORE", resourceId: null },
        { zoneId: remoteZone, resourceType: "MARKETPLACE", resourceId: remoteMarket },
      ],
    });
    expect(res.status, res.text).toBe(201);
    const expected = [
      { zoneId, zoneName: "default", resourceType: "DATASTORE", resourceId: ds1.id, resourceName: "ds-one" },
      { zoneId, zoneName: "default", resourceType: "MARKETPLACE", resourceId: market.id, resourceName: "vdc-market" },
      { zoneId: remoteZone, zoneName: "remote-zone", resourceType: "DATASTORE", resourceId: null, resourceName: null },
      {
        zoneId: remoteZone,
        zoneName: "remote-zone",
        resourceType: "MARKETPLACE",
        resourceId: remoteMarket,
        resourceName: "far-market",
      },
    ];
    expect(byKey(res.json.resources)).toEqual(byKey(expected));
    const got = await admin.get(`/api/v1/vdcs/${res.json.id}`);
    expect(got.status).toBe(200);
    expect(byKey(got.json.resources)).toEqual(byKey(expected));
    // the list says the same
    const listed = (await admin.get("/api/v1/vdcs?q=res-vdc")).json.items;
    expect(listed).toHaveLength(1);
    expect(byKey(listed[0].resources)).toEqual(byKey(expected));

    // a PATCH that names no resources keeps them; one that names [] removes them all
    const renamed = await admin.patch(`/api/v1/vdcs/${res.json.id}`, { description: "kept" });
    expect(renamed.status, renamed.text).toBe(200);
    expect(byKey(renamed.json.resources)).toEqual(byKey(expected));
    const emptied = await admin.patch(`/api/v1/vdcs/${res.json.id}`, { resources: [] });
    expect(emptied.status, emptied.text).toBe(200);
    expect(emptied.json.resources).toEqual([]);
    expect((await admin.get(`/api/v1/vdcs/${res.json.id}`)).json.resources).toEqual([]);
    expect((await admin.delete(`/api/v1/vdcs/${res.json.id}`)).status).toBe(204);
  });

  it("refuses a resource that does not exist or is not in the zone it is named with (400 resources)", async () => {
    const vdc = await admin.post("/api/v1/vdcs", {
      name: "strict-vdc",
      resources: [{ zoneId, resourceType: "DATASTORE", resourceId: ds2.id }],
    });
    expect(vdc.status, vdc.text).toBe(201);
    const marketIds = new Set<number>(
      (await admin.get("/api/v1/marketplaces?perPage=200")).json.items.map((m: Json) => m.id as number),
    );
    const datastoreIds = new Set<number>(
      (await db().datastore.findMany({ select: { id: true } })).map((d: { id: number }) => d.id),
    );
    // an id that is a datastore's and no marketplace's, and one that is a marketplace's and no datastore's
    const dsOnly = [...datastoreIds].find((id) => !marketIds.has(id))!;
    const marketOnly = [...marketIds].find((id) => !datastoreIds.has(id));
    const bad: [string, Json][] = [
      ["an unknown datastore", { zoneId, resourceType: "DATASTORE", resourceId: 987654 }],
      ["a datastore of another zone", { zoneId, resourceType: "DATASTORE", resourceId: remoteDs }],
      ["a datastore named with the wrong zone", { zoneId: remoteZone, resourceType: "DATASTORE", resourceId: ds1.id }],
      ["an unknown marketplace", { zoneId, resourceType: "MARKETPLACE", resourceId: 987654 }],
      ["a marketplace of another zone", { zoneId, resourceType: "MARKETPLACE", resourceId: remoteMarket }],
      ["a datastore's id as a marketplace", { zoneId, resourceType: "MARKETPLACE", resourceId: dsOnly }],
      ["an unknown zone, all of it", { zoneId: 987654, resourceType: "DATASTORE", resourceId: null }],
    ];
    if (marketOnly !== undefined)
      bad.push(["a marketplace's id as a datastore", { zoneId, resourceType: "DATASTORE", resourceId: marketOnly }]);
    for (const [what, resource] of bad) {
      const resources = [{ zoneId, resourceType: "DATASTORE", resourceId: ds1.id }, resource];
      const created = await admin.post("/api/v1/vdcs", { name: "bad-vdc", resources });
      expectProblem(created, 400, ["resources"]);
      expect(created.json.detail, what).toMatch(/./);
      expectProblem(await admin.patch(`/api/v1/vdcs/${vdc.json.id}`, { resources }), 400, ["resources"]);
    }
    expect(names(await admin.get("/api/v1/vdcs?q=bad-vdc"))).toEqual([]);
    // the refused PATCHes changed nothing
    expect((await admin.get(`/api/v1/vdcs/${vdc.json.id}`)).json.resources).toEqual([
      { zoneId, zoneName: "default", resourceType: "DATASTORE", resourceId: ds2.id, resourceName: "ds-two" },
    ]);
    expect((await admin.delete(`/api/v1/vdcs/${vdc.json.id}`)).status).toBe(204);
  });

  it("refuses an unknown resource type and ids that are not ids (400)", async () => {
    for (const resource of [
      { zoneId, resourceType: "HOST", resourceId: ds1.id },
      { zoneId, resourceType: "VNET", resourceId: null },
      { zoneId, resourceType: "datastore", resourceId: ds1.id },
      { zoneId, resourceType: "DATASTORE", resourceId: 0 },
      { zoneId, resourceType: "DATASTORE", resourceId: -1 },
      { zoneId, resourceType: "DATASTORE", resourceId: 1.5 },
      { zoneId, resourceType: "DATASTORE", resourceId: String(ds1.id) },
      { zoneId: null, resourceType: "DATASTORE", resourceId: ds1.id },
    ]) {
      const res = await admin.post("/api/v1/vdcs", { name: "typed-vdc", resources: [resource] });
      expectProblem(res, 400);
      const fields: string[] = res.json.invalid_params.map((p: Json) => p.name);
      expect(fields.length, JSON.stringify(resource)).toBeGreaterThan(0);
      expect(
        fields.every((f) => f.startsWith("resources")),
        fields.join(),
      ).toBe(true);
    }
    expect(names(await admin.get("/api/v1/vdcs?q=typed-vdc"))).toEqual([]);
  });

  it("keeps one row per resource; all of a zone makes the named ones of that zone and type redundant", async () => {
    const resources = [
      { zoneId, resourceType: "DATASTORE", resourceId: ds1.id },
      { zoneId, resourceType: "DATASTORE", resourceId: ds1.id },
      { zoneId, resourceType: "MARKETPLACE", resourceId: market.id },
      { zoneId, resourceType: "MARKETPLACE", resourceId: market.id },
    ];
    const res = await admin.post("/api/v1/vdcs", { name: "dup-vdc", resources });
    expect(res.status, res.text).toBe(201);
    expect(byKey(res.json.resources)).toEqual([
      { zoneId, zoneName: "default", resourceType: "DATASTORE", resourceId: ds1.id, resourceName: "ds-one" },
      { zoneId, zoneName: "default", resourceType: "MARKETPLACE", resourceId: market.id, resourceName: "vdc-market" },
    ]);

    // all datastores of this zone, twice, with two named ones: one row; the marketplace and the
    // other zone's datastore stay
    const all = [
      { zoneId, resourceType: "DATASTORE", resourceId: ds1.id },
      { zoneId, resourceType: "DATASTORE", resourceId: null },
      { zoneId, resourceType: "DATASTORE", resourceId: ds2.id },
      { zoneId, resourceType: "DATASTORE", resourceId: null },
      { zoneId, resourceType: "MARKETPLACE", resourceId: market.id },
      { zoneId: remoteZone, resourceType: "DATASTORE", resourceId: remoteDs },
    ];
    const expected = byKey([
      { zoneId, zoneName: "default", resourceType: "DATASTORE", resourceId: null, resourceName: null },
      { zoneId, zoneName: "default", resourceType: "MARKETPLACE", resourceId: market.id, resourceName: "vdc-market" },
      {
        zoneId: remoteZone,
        zoneName: "remote-zone",
        resourceType: "DATASTORE",
        resourceId: remoteDs,
        resourceName: "far-ds",
      },
    ]);
    const patched = await admin.patch(`/api/v1/vdcs/${res.json.id}`, { resources: all });
    expect(patched.status, patched.text).toBe(200);
    expect(byKey(patched.json.resources)).toEqual(expected);
    expect(byKey((await admin.get(`/api/v1/vdcs/${res.json.id}`)).json.resources)).toEqual(expected);
    expect(await db().vdcResource.count({ where: { vdcId: res.json.id, zoneId, resourceType: "DATASTORE" } })).toBe(1);

    const created = await admin.post("/api/v1/vdcs", { name: "all-vdc", resources: all });
    expect(created.status, created.text).toBe(201);
    expect(byKey(created.json.resources)).toEqual(expected);
    for (const id of [res.json.id, created.json.id])
      expect((await admin.delete(`/api/v1/vdcs/${id}`)).status).toBe(204);
  });

  it("removing a zone takes its resources out of the VDCs", async () => {
    const zone = await admin.post("/api/v1/zones", { name: "short-lived", endpoint: "https://gone.example.org" });
    expect(zone.status, zone.text).toBe(201);
    const vdc = await admin.post("/api/v1/vdcs", {
      name: "zoned-vdc",
      resources: [
        { zoneId, resourceType: "DATASTORE", resourceId: ds1.id },
        { zoneId: zone.json.id, resourceType: "DATASTORE", resourceId: null },
        { zoneId: zone.json.id, resourceType: "MARKETPLACE", resourceId: null },
      ],
    });
    expect(vdc.status, vdc.text).toBe(201);
    expect(vdc.json.resources).toHaveLength(3);
    expect((await admin.delete(`/api/v1/zones/${zone.json.id}`)).status).toBe(204);
    const after = await admin.get(`/api/v1/vdcs/${vdc.json.id}`);
    expect(after.status, after.text).toBe(200);
    expect(after.json.resources).toEqual([
      { zoneId, zoneName: "default", resourceType: "DATASTORE", resourceId: ds1.id, resourceName: "ds-one" },
    ]);
    expect((await admin.delete(`/api/v1/vdcs/${vdc.json.id}`)).status).toBe(204);
  });

  it("a member sees the resources of their VDC; others do not see the VDC", async () => {
    const res = await admin.post("/api/v1/vdcs", {
      name: "bobs-vdc",
      groupIds: [devs],
      resources: [{ zoneId, resourceType: "MARKETPLACE", resourceId: null }],
    });
    expect(res.status, res.text).toBe(201);
    const seen = await bobClient.get(`/api/v1/vdcs/${res.json.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json.resources).toEqual([
      { zoneId, zoneName: "default", resourceType: "MARKETPLACE", resourceId: null, resourceName: null },
    ]);
    expect(names(await bobClient.get("/api/v1/vdcs"))).toContain("bobs-vdc");
    expect((await admin.delete(`/api/v1/vdcs/${res.json.id}`)).status).toBe(204);
    expectProblem(await bobClient.get(`/api/v1/vdcs/${res.json.id}`), 404);
  });
});
