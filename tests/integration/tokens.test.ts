import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { sha256 } from "@/lib/crypto/tokens";
import { ApiClient, createUser, expectProblem, signIn, signInAdmin, withToken, type UserFixture } from "../helpers/api";
import { expectNoSecretsLeaked } from "../helpers/secrets";

let admin: ApiClient;
let bob: UserFixture;
let bobClient: ApiClient;

beforeAll(async () => {
  admin = await signInAdmin();
  bob = await createUser(admin, "bob");
  bobClient = await signIn("bob", bob.password);
});

async function createToken(client: ApiClient, name: string, expiresInDays = 30) {
  const res = await client.post("/api/v1/tokens", { name, expiresInDays });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: number; token: string; prefix: string };
}

describe("POST /api/v1/tokens", () => {
  it("returns the secret once; only its hash is stored", async () => {
    const res = await bobClient.post("/api/v1/tokens", { name: "ci runner", expiresInDays: 30 });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(Number),
      name: "ci runner",
      prefix: res.json.token.slice(0, 12),
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      lastUsedAt: null,
      expired: false,
      token: expect.stringMatching(/^bzr_[A-Za-z0-9_-]{43}$/),
    });
    const days = (Date.parse(res.json.expiresAt) - Date.parse(res.json.createdAt)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(row.secretHash).toBe(sha256(res.json.token));
    expect(JSON.stringify(row)).not.toContain(res.json.token);
  });

  it("validates the name and the lifetime", async () => {
    expectProblem(await bobClient.post("/api/v1/tokens", { name: "ci runner", expiresInDays: 5 }), 409, ["name"]);
    expectProblem(await bobClient.post("/api/v1/tokens", { name: "x", expiresInDays: 0 }), 400, ["expiresInDays"]);
    expectProblem(await bobClient.post("/api/v1/tokens", { name: "x", expiresInDays: 366 }), 400, ["expiresInDays"]);
    expectProblem(await bobClient.post("/api/v1/tokens", { name: "bad/name", expiresInDays: 1 }), 400, ["name"]);
    expectProblem(await bobClient.post("/api/v1/tokens", {}), 400, ["expiresInDays", "name"]);
  });
});

describe("GET /api/v1/tokens", () => {
  it("lists the user's own tokens, never a secret or hash", async () => {
    const created = await createToken(bobClient, "listed");
    await createToken(admin, "admins-own");
    const res = await bobClient.get("/api/v1/tokens");
    expect(res.status).toBe(200);
    expect(res.json.items.map((t: { name: string }) => t.name).sort()).toEqual(["ci runner", "listed"]);
    for (const item of res.json.items) {
      expect(Object.keys(item).sort()).toEqual([
        "createdAt",
        "expired",
        "expiresAt",
        "id",
        "lastUsedAt",
        "name",
        "prefix",
      ]);
    }
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(res.text).not.toContain(created.token);
    expect(res.text).not.toContain(row.secretHash);
  });
});

describe("Bearer authentication", () => {
  it("authenticates as the token's user and records its use", async () => {
    const { id, token } = await createToken(bobClient, "bearer");
    const res = await withToken(token).get("/api/v1/session");
    expect(res.status).toBe(200);
    expect(res.json.user.username).toBe("bob");
    const listed = (await bobClient.get("/api/v1/tokens")).json.items.find((t: { id: number }) => t.id === id);
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it("writes need no Origin header (a token is not sent by browsers on their own)", async () => {
    const { token } = await createToken(bobClient, "writer");
    const res = await withToken(token).patch("/api/v1/profile", { displayName: "Bob via token" }, { origin: null });
    expect(res.status).toBe(200);
    expect(res.json.displayName).toBe("Bob via token");
  });

  it("a token of a user who is later disabled answers 401", async () => {
    const tina = await createUser(admin, "tina");
    const tinaClient = await signIn("tina", tina.password);
    const { token } = await createToken(tinaClient, "soon-useless");
    expect((await withToken(token).get("/api/v1/session")).status).toBe(200);
    await admin.patch(`/api/v1/users/${tina.id}`, { enabled: false });
    expectProblem(await withToken(token).get("/api/v1/session"), 401);
  });

  it("an expired token answers 401 and is listed as expired", async () => {
    const { id, token } = await createToken(bobClient, "short-lived", 1);
    expect((await withToken(token).get("/api/v1/session")).status).toBe(200);
    await db().apiToken.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    expectProblem(await withToken(token).get("/api/v1/session"), 401);
    const listed = (await bobClient.get("/api/v1/tokens")).json.items.find((t: { id: number }) => t.id === id);
    expect(listed.expired).toBe(true);
  });

  it.each([["garbage"], ["bzr_garbage"], ["bzr_" + "A".repeat(43)], [""]])("bearer %j answers 401", async (token) => {
    const res = await new ApiClient().get("/api/v1/session", { headers: { authorization: `Bearer ${token}` } });
    expectProblem(res, 401);
  });

  it("a bad bearer token is refused even alongside a valid cookie", async () => {
    const res = await bobClient.get("/api/v1/session", { headers: { authorization: "Bearer bzr_wrong" } });
    expectProblem(res, 401);
  });
});

describe("DELETE /api/v1/tokens/{id}", () => {
  it("revokes a token: it answers 401 afterwards", async () => {
    const { id, token } = await createToken(bobClient, "to-revoke");
    expect((await withToken(token).get("/api/v1/session")).status).toBe(200);
    expect((await bobClient.delete(`/api/v1/tokens/${id}`)).status).toBe(204);
    expectProblem(await withToken(token).get("/api/v1/session"), 401);
    expectProblem(await bobClient.delete(`/api/v1/tokens/${id}`), 404);
  });

  it("another user's token is 404, even for an admin, and keeps working", async () => {
    const { id, token } = await createToken(bobClient, "bobs-private");
    expectProblem(await admin.delete(`/api/v1/tokens/${id}`), 404);
    expect((await withToken(token).get("/api/v1/session")).status).toBe(200);
  });
});

describe("secrets", () => {
  it("no token secret appears outside its creation response, nor any password, cookie or hash", async () => {
    await expectNoSecretsLeaked();
  });
});
