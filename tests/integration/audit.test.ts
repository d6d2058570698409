import { beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  anonymous,
  createUser,
  expectProblem,
  signIn,
  signInAdmin,
  type Json,
  type UserFixture,
} from "../helpers/api";

let admin: ApiClient;
let adminId: number;
let bob: UserFixture;
let bobClient: ApiClient;

beforeAll(async () => {
  admin = await signInAdmin();
  adminId = (await admin.get("/api/v1/session")).json.user.id;
  bob = await createUser(admin, "bob");
  bobClient = await signIn("bob", bob.password);
});

async function events(query: string): Promise<Json[]> {
  const res = await admin.get(`/api/v1/audit?perPage=200&${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

describe("GET /api/v1/audit", () => {
  it("records user create, update and delete with the actor and the request id", async () => {
    const created = await admin.post(
      "/api/v1/users",
      { username: "audited", password: "audited-Pw-11", displayName: "A" },
      { headers: { "x-request-id": "req-create-audited" } },
    );
    expect(created.headers.get("x-request-id")).toBe("req-create-audited");
    const id = created.json.id;
    await admin.patch(`/api/v1/users/${id}`, { displayName: "B" });
    await admin.delete(`/api/v1/users/${id}`);

    const trail = await events(`objectType=USER&objectId=${id}&sort=id&order=asc`);
    expect(trail.map((e) => e.action)).toEqual(["user.create", "user.update", "user.delete"]);
    expect(trail[0]).toMatchObject({
      actorId: adminId,
      actorName: "admin",
      objectType: "USER",
      objectId: String(id),
      objectName: "audited",
      zoneName: "default",
      requestId: "req-create-audited",
      details: { enabled: true, groupIds: [expect.any(Number)], primaryGroupId: expect.any(Number) },
    });
    expect(trail[1].details).toMatchObject({ displayName: "B" });
  });

  it("records group changes", async () => {
    const group = (await admin.post("/api/v1/groups", { name: "audited-group" })).json.id;
    await admin.patch(`/api/v1/groups/${group}`, { description: "changed" });
    await admin.post(`/api/v1/groups/${group}/members`, { userId: bob.id });
    await admin.delete(`/api/v1/groups/${group}/members/${bob.id}`);
    await admin.delete(`/api/v1/groups/${group}`);
    const trail = await events(`objectType=GROUP&objectId=${group}&sort=id&order=asc`);
    expect(trail.map((e) => e.action)).toEqual([
      "group.create",
      "group.update",
      "group.add-member",
      "group.remove-member",
      "group.delete",
    ]);
    expect(trail[2].details).toEqual({ userId: bob.id, username: "bob" });
  });

  it("records sign-ins and failed sign-ins", async () => {
    await signIn("bob", bob.password);
    await anonymous({ ip: "192.0.2.7" }).post("/api/v1/session", { username: "bob", password: "wrong-password-1" });
    const signIns = await events(`action=session.sign-in&objectId=${bob.id}`);
    expect(signIns.length).toBeGreaterThanOrEqual(2); // beforeAll and this test
    expect(signIns[0]).toMatchObject({ actorId: bob.id, actorName: "bob", objectType: "USER", objectName: "bob" });
    const failed = await events("action=session.sign-in-failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      actorId: null,
      actorName: "bob",
      objectId: String(bob.id),
      details: { ip: "192.0.2.7" },
    });
  });

  it("filters by object type, actor and text, newest first by default", async () => {
    const groupsOnly = await events("objectType=GROUP");
    expect(groupsOnly.length).toBeGreaterThan(0);
    expect(groupsOnly.every((e) => e.objectType === "GROUP")).toBe(true);
    const byBob = await events(`actorId=${bob.id}`);
    expect(byBob.length).toBeGreaterThan(0);
    expect(byBob.every((e) => e.actorId === bob.id)).toBe(true);
    const text = await events("q=AUDITED-GROUP");
    expect(text.length).toBe(5);
    const all = await events("");
    const ats = all.map((e) => Date.parse(e.at));
    expect([...ats].sort((a, b) => b - a)).toEqual(ats);
    expect(await events("objectType=NOTHING")).toEqual([]);
  });

  it("pages", async () => {
    const total = (await admin.get("/api/v1/audit")).json.total;
    expect(total).toBeGreaterThan(10);
    const first = await admin.get("/api/v1/audit?perPage=3&page=1&sort=id&order=asc");
    const second = await admin.get("/api/v1/audit?perPage=3&page=2&sort=id&order=asc");
    expect(first.json).toMatchObject({ total, page: 1, perPage: 3 });
    expect(second.json).toMatchObject({ total, page: 2, perPage: 3 });
    const ids = [...first.json.items, ...second.json.items].map((e: { id: number }) => e.id);
    expect(ids).toHaveLength(6);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(6);
    const last = await admin.get(`/api/v1/audit?perPage=3&page=${Math.ceil(total / 3) + 1}`);
    expect(last.json.items).toEqual([]);
  });

  it("non-admins get 403", async () => {
    expectProblem(await bobClient.get("/api/v1/audit"), 403);
  });
});
