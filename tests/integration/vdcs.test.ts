import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createGroup, createUser, expectProblem, groupIdOf, signIn, signInAdmin } from "../helpers/api";

let admin: ApiClient;
let bobClient: ApiClient;
let usersGroup: number;
let devs: number;
let ops: number;
let zoneId: number;

beforeAll(async () => {
  admin = await signInAdmin();
  usersGroup = await groupIdOf(admin, "users");
  devs = await createGroup(admin, "devs");
  ops = await createGroup(admin, "ops");
  const bob = await createUser(admin, "bob", { primaryGroupId: devs });
  bobClient = await signIn("bob", bob.password);
  zoneId = (await admin.get("/api/v1/session")).json.zone.id;
});

const names = (res: { json: { items: { name: string }[] } }) => res.json.items.map((v) => v.name);

describe("VDCs", () => {
  it("an admin creates a VDC with groups and resources", async () => {
    const res = await admin.post("/api/v1/vdcs", {
      name: "dev-vdc",
      description: "for developers",
      groupIds: [devs, devs],
      resources: [{ zoneId, resourceType: "DATASTORE", resourceId: 1 }],
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(Number),
      name: "dev-vdc",
      description: "for developers",
      groups: [{ id: devs, name: "devs" }],
      resources: [{ zoneId, zoneName: "default", resourceType: "DATASTORE", resourceId: 1 }],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expectProblem(await admin.post("/api/v1/vdcs", { name: "dev-vdc" }), 409, ["name"]);
  });

  it("answers 400 naming groupIds for an unknown group, and resources for an unknown zone", async () => {
    expectProblem(await admin.post("/api/v1/vdcs", { name: "broken", groupIds: [devs, 987654] }), 400, ["groupIds"]);
    const badZone = await admin.post("/api/v1/vdcs", {
      name: "broken",
      resources: [{ zoneId: 987654, resourceType: "DATASTORE", resourceId: 1 }],
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
