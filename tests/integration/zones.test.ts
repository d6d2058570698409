import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, signIn, signInAdmin } from "../helpers/api";

let admin: ApiClient;
let bobClient: ApiClient;
let localZoneId: number;

beforeAll(async () => {
  admin = await signInAdmin();
  const bob = await createUser(admin, "bob");
  bobClient = await signIn("bob", bob.password);
  localZoneId = (await admin.get("/api/v1/session")).json.zone.id;
});

describe("zones", () => {
  it("the local zone exists from the first start and is marked local", async () => {
    const res = await bobClient.get("/api/v1/zones");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ total: 1, page: 1, perPage: 25 });
    expect(res.json.items).toEqual([
      { id: localZoneId, name: "default", description: "", endpoint: "", local: true, createdAt: expect.any(String) },
    ]);
    expect((await bobClient.get(`/api/v1/zones/${localZoneId}`)).json.local).toBe(true);
  });

  it("an admin registers, edits and removes another zone", async () => {
    const created = await admin.post("/api/v1/zones", {
      name: "zone-b",
      description: "the other site",
      endpoint: "https://b.example.org",
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: "zone-b",
      description: "the other site",
      endpoint: "https://b.example.org",
      local: false,
    });
    const id = created.json.id;
    expectProblem(await admin.post("/api/v1/zones", { name: "zone-b" }), 409, ["name"]);
    expectProblem(await admin.post("/api/v1/zones", { name: "zone-c", endpoint: "ftp://c.example.org" }), 400, [
      "endpoint",
    ]);

    const edited = await admin.patch(`/api/v1/zones/${id}`, { endpoint: "https://b2.example.org" });
    expect(edited.status).toBe(200);
    expect(edited.json.endpoint).toBe("https://b2.example.org");

    const list = await bobClient.get("/api/v1/zones?sort=name");
    expect(list.json.items.map((z: { name: string; local: boolean }) => [z.name, z.local])).toEqual([
      ["default", true],
      ["zone-b", false],
    ]);

    expect((await admin.delete(`/api/v1/zones/${id}`)).status).toBe(204);
    expectProblem(await admin.get(`/api/v1/zones/${id}`), 404);
  });

  it("the local zone cannot be removed (409)", async () => {
    const res = await admin.delete(`/api/v1/zones/${localZoneId}`);
    expectProblem(res, 409);
    expect(res.json.detail).toBe("The local zone cannot be removed");
    expect((await admin.get(`/api/v1/zones/${localZoneId}`)).status).toBe(200);
  });

  it("non-admins can read but get 403 on writes", async () => {
    expectProblem(await bobClient.post("/api/v1/zones", { name: "rogue" }), 403);
    expectProblem(await bobClient.patch(`/api/v1/zones/${localZoneId}`, { description: "mine" }), 403);
    expectProblem(await bobClient.delete(`/api/v1/zones/${localZoneId}`), 403);
    expect((await bobClient.get("/api/v1/zones")).json.total).toBe(1);
  });
});
