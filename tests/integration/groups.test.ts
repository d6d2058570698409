import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  ApiClient,
  createGroup,
  createUser,
  expectProblem,
  groupIdOf,
  signIn,
  signInAdmin,
  type UserFixture,
} from "../helpers/api";

let admin: ApiClient;
let adminsGroup: number;
let usersGroup: number;
let bob: UserFixture;
let bobClient: ApiClient;

beforeAll(async () => {
  admin = await signInAdmin();
  adminsGroup = await groupIdOf(admin, "admins");
  usersGroup = await groupIdOf(admin, "users");
  bob = await createUser(admin, "bob");
  bobClient = await signIn("bob", bob.password);
});

describe("POST /api/v1/groups", () => {
  it("creates a group with the default create rights", async () => {
    const res = await admin.post("/api/v1/groups", { name: "Web Team", description: "builds the site" });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(Number),
      name: "Web Team",
      description: "builds the site",
      builtin: false,
      memberCount: 0,
      createRights: ["IMAGE", "VM_TEMPLATE", "SERVICE_TEMPLATE"],
      createdAt: expect.any(String),
      members: [],
    });
  });

  it("takes explicit create rights, de-duplicated", async () => {
    const res = await admin.post("/api/v1/groups", {
      name: "storage",
      createRights: ["DATASTORE", "MARKETPLACE", "DATASTORE"],
    });
    expect(res.status).toBe(201);
    expect(res.json.createRights).toEqual(["DATASTORE", "MARKETPLACE"]);
  });

  it("answers 409 naming name for a taken name", async () => {
    expectProblem(await admin.post("/api/v1/groups", { name: "Web Team" }), 409, ["name"]);
    expectProblem(await admin.post("/api/v1/groups", { name: "admins" }), 409, ["name"]);
  });

  it.each([["bad/name"], ["semi;colon"], ['quote"d'], ["dollar$"], ["  "]])(
    "answers 400 naming name for %j",
    async (name) => {
      expectProblem(await admin.post("/api/v1/groups", { name }), 400, ["name"]);
    },
  );

  it("answers 400 for an unknown create right", async () => {
    expectProblem(await admin.post("/api/v1/groups", { name: "weird", createRights: ["SPACESHIP"] }), 400, [
      "createRights.0",
    ]);
  });

  it("non-admins get 403", async () => {
    expectProblem(await bobClient.post("/api/v1/groups", { name: "bobs" }), 403);
  });
});

describe("members", () => {
  it("adds and removes a member", async () => {
    const group = await createGroup(admin, "devs");
    const added = await admin.post(`/api/v1/groups/${group}/members`, { userId: bob.id });
    expect(added.status).toBe(200);
    expect(added.json.members).toEqual([{ id: bob.id, name: "bob", primary: false }]);
    expect(added.json.memberCount).toBe(1);
    // adding twice is harmless
    expect((await admin.post(`/api/v1/groups/${group}/members`, { userId: bob.id })).json.memberCount).toBe(1);
    expect((await bobClient.get("/api/v1/session")).json.user.groups.map((g: { name: string }) => g.name)).toContain(
      "devs",
    );

    const removed = await admin.delete(`/api/v1/groups/${group}/members/${bob.id}`);
    expect(removed.status).toBe(200);
    expect(removed.json.members).toEqual([]);
    expectProblem(await admin.delete(`/api/v1/groups/${group}/members/${bob.id}`), 404);
  });

  it("validates the user and the group", async () => {
    const group = await createGroup(admin, "checkers");
    expectProblem(await admin.post(`/api/v1/groups/${group}/members`, { userId: 999999 }), 400, ["userId"]);
    expectProblem(await admin.post("/api/v1/groups/999999/members", { userId: bob.id }), 404);
    expectProblem(await bobClient.post(`/api/v1/groups/${group}/members`, { userId: bob.id }), 403);
  });

  it("cannot remove a user from their primary group (409)", async () => {
    const res = await admin.delete(`/api/v1/groups/${usersGroup}/members/${bob.id}`);
    expectProblem(res, 409);
    expect(res.json.detail).toMatch(/primary group/);
    expect(await db().groupMembership.count({ where: { userId: bob.id, groupId: usersGroup } })).toBe(1);
  });
});

describe("PATCH and DELETE /api/v1/groups/{id}", () => {
  it("renames a group and edits its description", async () => {
    const group = await createGroup(admin, "old-name");
    const res = await admin.patch(`/api/v1/groups/${group}`, { name: "new-name", description: "renamed" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: group, name: "new-name", description: "renamed" });
    expectProblem(await admin.patch(`/api/v1/groups/${group}`, { name: "users" }), 409, ["name"]);
    expectProblem(await admin.patch(`/api/v1/groups/${group}`, {}), 400);
  });

  it("built-in groups cannot be renamed or deleted", async () => {
    expectProblem(await admin.patch(`/api/v1/groups/${usersGroup}`, { name: "people" }), 409, ["name"]);
    expectProblem(await admin.patch(`/api/v1/groups/${adminsGroup}`, { name: "root" }), 409, ["name"]);
    expectProblem(await admin.delete(`/api/v1/groups/${usersGroup}`), 409);
    expectProblem(await admin.delete(`/api/v1/groups/${adminsGroup}`), 409);
    // their description can change
    expect((await admin.patch(`/api/v1/groups/${usersGroup}`, { description: "everyone" })).status).toBe(200);
    expect(await db().group.count({ where: { name: { in: ["users", "admins"] } } })).toBe(2);
  });

  it("the admins group's create rights are fixed", async () => {
    expectProblem(await admin.patch(`/api/v1/groups/${adminsGroup}`, { createRights: [] }), 409, ["createRights"]);
  });

  it("a group with members cannot be deleted; an empty one can", async () => {
    const group = await createGroup(admin, "temporary");
    await admin.post(`/api/v1/groups/${group}/members`, { userId: bob.id });
    const res = await admin.delete(`/api/v1/groups/${group}`);
    expectProblem(res, 409);
    expect(res.json.detail).toMatch(/member/);
    await admin.delete(`/api/v1/groups/${group}/members/${bob.id}`);
    expect((await admin.delete(`/api/v1/groups/${group}`)).status).toBe(204);
    expectProblem(await admin.get(`/api/v1/groups/${group}`), 404);
    expectProblem(await admin.delete(`/api/v1/groups/${group}`), 404);
  });

  it("non-admins get 403", async () => {
    expectProblem(await bobClient.patch(`/api/v1/groups/${usersGroup}`, { description: "mine" }), 403);
    expectProblem(await bobClient.delete(`/api/v1/groups/${usersGroup}`), 403);
  });
});

describe("what a non-admin sees", () => {
  it("lists only their own groups and gets 404 for another group", async () => {
    const other = await createGroup(admin, "secret-club");
    const list = await bobClient.get("/api/v1/groups");
    expect(list.status).toBe(200);
    expect(list.json.items.map((g: { name: string }) => g.name)).toEqual(["users"]);
    expect(list.json.total).toBe(1);
    expect((await bobClient.get(`/api/v1/groups/${usersGroup}`)).status).toBe(200);
    expectProblem(await bobClient.get(`/api/v1/groups/${other}`), 404);
    expectProblem(await bobClient.get(`/api/v1/groups/${adminsGroup}`), 404);
    // admins see them all
    const all = await admin.get("/api/v1/groups?perPage=200");
    expect(all.json.items.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining(["admins", "users", "secret-club"]),
    );
  });
});

describe("create rights", () => {
  it("changes show in a member's session", async () => {
    const ops = await createGroup(admin, "ops-rights", { createRights: ["DATASTORE"] });
    const olga = await createUser(admin, "olga", { primaryGroupId: ops });
    const olgaClient = await signIn("olga", olga.password);
    expect((await olgaClient.get("/api/v1/session")).json.user.createRights).toEqual(["DATASTORE"]);

    const res = await admin.patch(`/api/v1/groups/${ops}`, { createRights: ["MARKETPLACE", "IMAGE"] });
    expect(res.json.createRights).toEqual(["IMAGE", "MARKETPLACE"]);
    expect((await olgaClient.get("/api/v1/session")).json.user.createRights).toEqual(["IMAGE", "MARKETPLACE"]);

    // rights add up over a user's groups
    await admin.post(`/api/v1/groups/${usersGroup}/members`, { userId: olga.id });
    expect((await olgaClient.get("/api/v1/session")).json.user.createRights).toEqual([
      "IMAGE",
      "MARKETPLACE",
      "VM_TEMPLATE",
      "SERVICE_TEMPLATE",
    ]);
    await admin.patch(`/api/v1/groups/${ops}`, { createRights: [] });
    await admin.delete(`/api/v1/groups/${usersGroup}/members/${olga.id}`);
    expect((await olgaClient.get("/api/v1/session")).json.user.createRights).toEqual([]);
  });
});
