import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boot } from "@/lib/boot/boot";
import { getConfig, setConfigForTests } from "@/lib/config";
import { db } from "@/lib/db/client";
import { forgetZoneHealth } from "@/lib/zones/zone-health";
import { ApiClient, createUser, expectProblem, signIn, signInAdmin } from "../helpers/api";
import { closedPort } from "../support/markets";
import { startOriginZone, type OriginZone } from "../support/origin-zone";

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
    // at the test client's address (tests/setup/db.ts), where nothing answers HTTP for real
    expect(res.json.items).toEqual([
      {
        id: localZoneId,
        name: "default",
        description: "",
        endpoint: "http://localhost",
        local: true,
        createdAt: expect.any(String),
        health: {
          status: expect.stringMatching(/^(up|down)$/),
          detail: expect.any(String),
          checkedAt: expect.any(String),
        },
      },
    ]);
    expect((await bobClient.get(`/api/v1/zones/${localZoneId}`)).json.local).toBe(true);
    // the session's zone is not asked whether it answers
    expect((await bobClient.get("/api/v1/session")).json.zone).toEqual({
      id: localZoneId,
      name: "default",
      description: "",
      endpoint: "http://localhost",
      local: true,
      createdAt: expect.any(String),
    });
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

describe("zone endpoints", () => {
  // read once the test setup has configured this file's database (not when the file is
  // collected, which would point restarts at the default database)
  let original: ReturnType<typeof getConfig>;
  let origin: OriginZone;

  beforeAll(async () => {
    original = getConfig();
    origin = await startOriginZone();
  });
  afterAll(async () => {
    setConfigForTests(original);
    await db().zone.update({ where: { id: localZoneId }, data: { endpoint: "http://localhost" } });
    await origin.close();
  });

  const localEndpoint = async () => (await admin.get(`/api/v1/zones/${localZoneId}`)).json.endpoint;
  /** Starts this instance again (migrations and seeding under the start-up lock) with `change`. */
  const restart = async (change: Partial<typeof original>, opts?: { serves?: boolean }) => {
    setConfigForTests({ ...original, ...change });
    try {
      await boot(() => {}, opts);
    } finally {
      setConfigForTests(original);
    }
  };

  it("an instance with BAZAAR_PUBLIC_URL sets its zone's endpoint at start-up; one without leaves it", async () => {
    await restart({ env: "production", publicUrl: "https://a.example/portal" });
    expect(await localEndpoint()).toBe("https://a.example/portal");
    // another instance of the zone (or a worker) without the variable
    await restart({ env: "production", publicUrl: undefined });
    expect(await localEndpoint()).toBe("https://a.example/portal");
    await restart({ env: "development", publicUrl: undefined, port: 3456 });
    expect(await localEndpoint()).toBe("https://a.example/portal");
    // the latest instance with the variable says where the zone is now
    await restart({ env: "production", publicUrl: "https://a2.example" });
    expect(await localEndpoint()).toBe("https://a2.example");
  });

  it("a web server stands in for a zone without an endpoint, at its port; a worker never does", async () => {
    await db().zone.update({ where: { id: localZoneId }, data: { endpoint: null } });
    await restart({ env: "development", publicUrl: undefined, port: 3456 }, { serves: false });
    expect(await localEndpoint()).toBeNull();
    await restart({ env: "production", publicUrl: undefined, port: 3456 }, { serves: false });
    expect(await localEndpoint()).toBeNull();
    await restart({ env: "production", publicUrl: undefined, port: 3456 });
    expect(await localEndpoint()).toBe("http://localhost:3456");
    // only when nothing is stored
    await restart({ env: "development", publicUrl: undefined, port: 4567 });
    expect(await localEndpoint()).toBe("http://localhost:3456");
  });

  it("an endpoint is a portal's http(s) URL, kept without a trailing slash; an empty one is none", async () => {
    const created = await admin.post("/api/v1/zones", { name: "zone-e", endpoint: " https://e.example/bazaar/ " });
    expect(created.status, created.text).toBe(201);
    expect(created.json.endpoint).toBe("https://e.example/bazaar");
    for (const bad of ["ftp://e.example", "https://user:pw@e.example", "https://e.example/?x=1", "e.example"])
      expectProblem(await admin.patch(`/api/v1/zones/${created.json.id}`, { endpoint: bad }), 400, ["endpoint"]);
    expect((await admin.patch(`/api/v1/zones/${created.json.id}`, { endpoint: "" })).json.endpoint).toBeNull();
    expect((await admin.patch(`/api/v1/zones/${created.json.id}`, { endpoint: null })).json.endpoint).toBeNull();
    expect((await admin.post("/api/v1/zones", { name: "zone-f" })).json.endpoint).toBeNull();
    for (const name of ["zone-e", "zone-f"]) {
      const zone = await db().zone.findUniqueOrThrow({ where: { name } });
      expect((await admin.delete(`/api/v1/zones/${zone.id}`)).status).toBe(204);
    }
  });

  it("says whether each zone's portal answers at its endpoint, asked by the server with a short time limit", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const register = async (name: string, endpoint: string) => {
      const res = await admin.post("/api/v1/zones", { name, endpoint });
      expect(res.status, res.text).toBe(201);
      return res.json;
    };
    const up = await register("zone-up", origin.url);
    expect(up.health).toEqual({ status: "up", detail: "it answers", checkedAt: expect.any(String) });
    const gone = await register("zone-gone", dead);
    expect(gone.health).toMatchObject({ status: "down", detail: expect.stringMatching(/^cannot be reached/) });
    const notPortal = await register("zone-web", `${origin.url}/elsewhere`);
    expect(notPortal.health).toMatchObject({
      status: "down",
      detail: `${origin.url}/elsewhere/api/health answered 404`,
    });

    // answers are kept for a while: listing again asks nobody
    const asked = origin.requests.length;
    const list = await bobClient.get("/api/v1/zones?sort=name&perPage=100&q=zone-");
    expect(list.json.items.map((z: { name: string; health: { status: string } }) => [z.name, z.health.status])).toEqual(
      [
        ["zone-gone", "down"],
        ["zone-up", "up"],
        ["zone-web", "down"],
      ],
    );
    expect(origin.requests.length).toBe(asked);
    expect(origin.requests.every((r) => r.method === "GET" && r.path.endsWith("/api/health"))).toBe(true);

    // a portal without its database; then one that does not answer at all
    origin.health = "error";
    forgetZoneHealth();
    expect((await bobClient.get(`/api/v1/zones/${up.id}`)).json.health).toMatchObject({
      status: "down",
      detail: "its portal answers, but database unreachable",
    });
    origin.health = "silent";
    forgetZoneHealth();
    const started = Date.now();
    expect((await bobClient.get(`/api/v1/zones/${up.id}`)).json.health).toMatchObject({
      status: "down",
      detail: "no answer within 3 s",
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const z of [up, gone, notPortal]) expect((await admin.delete(`/api/v1/zones/${z.id}`)).status).toBe(204);
  });
});
