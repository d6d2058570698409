import { beforeAll, describe, expect, it } from "vitest";
import "@/lib/api/operations";
import { registeredOperations } from "@/lib/api/operation";
import { ApiClient, createGroup, createUser, expectProblem, signInAdmin, type ApiResponse } from "../helpers/api";

let admin: ApiClient;

beforeAll(async () => {
  admin = await signInAdmin();
  await createUser(admin, "alice", { displayName: "Alice Liddell", email: "alice@Wonderland.example" });
  await createUser(admin, "bob", { displayName: "Bob" });
  await createUser(admin, "carol", { displayName: "Carol", enabled: false });
  await createUser(admin, "dave", { displayName: "Dave" });
  await createUser(admin, "eve", { displayName: "Eve" });
  await createGroup(admin, "Blue Team");
  await createGroup(admin, "red team");
});

const usernames = (res: ApiResponse) => res.json.items.map((u: { username: string }) => u.username);

// Every list operation: a GET without path parameters whose query pages.
const listOps = registeredOperations().filter(
  (op) =>
    op.method === "GET" &&
    !op.params &&
    op.query &&
    "shape" in op.query &&
    "perPage" in (op.query as { shape: object }).shape,
);

describe("list conventions", () => {
  it("finds the list operations of every area", () => {
    expect(listOps.map((op) => op.path)).toEqual(
      expect.arrayContaining(["/api/v1/users", "/api/v1/groups", "/api/v1/zones", "/api/v1/vdcs", "/api/v1/audit"]),
    );
  });

  it.each(listOps.map((op) => [op.path]))("%s pages and refuses perPage > 200 or page < 1", async (path) => {
    const res = await admin.get(`${path}?page=2&perPage=1`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ items: expect.any(Array), total: expect.any(Number), page: 2, perPage: 1 });
    expect(res.json.items.length).toBe(res.json.total >= 2 ? 1 : 0);
    expect((await admin.get(`${path}?perPage=200`)).status).toBe(200);
    expectProblem(await admin.get(`${path}?perPage=201`), 400, ["perPage"]);
    expectProblem(await admin.get(`${path}?perPage=0`), 400, ["perPage"]);
    expectProblem(await admin.get(`${path}?page=0`), 400, ["page"]);
    expectProblem(await admin.get(`${path}?sort=passwordHash`), 400, ["sort"]);
    expectProblem(await admin.get(`${path}?order=sideways`), 400, ["order"]);
  });

  it("pages in a stable order with a total", async () => {
    const page1 = await admin.get("/api/v1/users?sort=username&perPage=2&page=1");
    const page2 = await admin.get("/api/v1/users?sort=username&perPage=2&page=2");
    const page3 = await admin.get("/api/v1/users?sort=username&perPage=2&page=3");
    const page4 = await admin.get("/api/v1/users?sort=username&perPage=2&page=4");
    expect(page1.json).toMatchObject({ total: 6, page: 1, perPage: 2 });
    expect([page1, page2, page3].flatMap(usernames)).toEqual(["admin", "alice", "bob", "carol", "dave", "eve"]);
    expect(page4.json).toEqual({ items: [], total: 6, page: 4, perPage: 2 });
  });

  it("sorts by an allowed field in either order", async () => {
    expect(usernames(await admin.get("/api/v1/users?sort=username&order=desc&perPage=3"))).toEqual([
      "eve",
      "dave",
      "carol",
    ]);
    expect(usernames(await admin.get("/api/v1/users?sort=displayName&order=asc"))).toEqual([
      "admin", // "Administrator"
      "alice",
      "bob",
      "carol",
      "dave",
      "eve",
    ]);
    const byId = usernames(await admin.get("/api/v1/users?sort=id&order=desc"));
    expect(byId[0]).toBe("eve");
    expect(byId.at(-1)).toBe("admin");
  });

  it("q searches case-insensitively on every database", async () => {
    expect(usernames(await admin.get("/api/v1/users?q=ALICE"))).toEqual(["alice"]);
    expect(usernames(await admin.get("/api/v1/users?q=liDDell"))).toEqual(["alice"]);
    expect(usernames(await admin.get("/api/v1/users?q=wonderland"))).toEqual(["alice"]);
    expect((await admin.get("/api/v1/users?q=nobody-by-that-name")).json).toMatchObject({ items: [], total: 0 });
    const groups = await admin.get("/api/v1/groups?q=TEAM&sort=name");
    expect(groups.json.items.map((g: { name: string }) => g.name).sort()).toEqual(["Blue Team", "red team"]);
    expect(groups.json.total).toBe(2);
    expect((await admin.get("/api/v1/zones?q=DEFAULT")).json.total).toBe(1);
  });

  it("filters combine with q and paging", async () => {
    expect(usernames(await admin.get("/api/v1/users?enabled=false"))).toEqual(["carol"]);
    const enabled = await admin.get("/api/v1/users?enabled=true&q=a&sort=username");
    expect(usernames(enabled)).toEqual(["admin", "alice", "dave"]);
    expectProblem(await admin.get("/api/v1/users?enabled=maybe"), 400, ["enabled"]);
  });
});
