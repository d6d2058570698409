import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { anonymous, ApiClient, createUser, expectProblem, signIn, signInAdmin, type UserFixture } from "../helpers/api";
import { ADMIN_PASSWORD, ADMIN_USERNAME, LOGIN_MAX_FAILURES } from "../helpers/fixtures";
import { expectNoSecretsLeaked } from "../helpers/secrets";

const WRONG = "Wrong username or password";

let admin: ApiClient;
let bob: UserFixture;

beforeAll(async () => {
  admin = await signInAdmin();
  bob = await createUser(admin, "bob");
});

describe("POST /api/v1/session (sign in)", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie and returns the user and the zone", async () => {
    const client = anonymous();
    const res = await client.post("/api/v1/session", { username: ADMIN_USERNAME, password: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    const [cookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(/^bazaar_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain("; HttpOnly");
    expect(cookie).toContain("; SameSite=Lax");
    expect(cookie).toContain("; Path=/");
    expect(cookie).toContain(`; Max-Age=${12 * 3600}`);
    expect(cookie).not.toContain("Secure"); // plain http in this test
    expect(res.json.user).toMatchObject({ username: ADMIN_USERNAME, isAdmin: true, primaryGroup: { name: "admins" } });
    expect(res.json.zone).toMatchObject({ name: "default", local: true });
    expect(client.sessionCookie).toBeDefined();
  });

  // Secure behind an https proxy: only a trusted one (tests/integration/sign-in-throttle.test.ts).

  it("usernames are matched case-insensitively", async () => {
    const res = await anonymous().post("/api/v1/session", { username: " BOB ", password: bob.password });
    expect(res.status).toBe(200);
    expect(res.json.user.username).toBe("bob");
  });

  it("a wrong password answers 401 problem+json and sets no cookie", async () => {
    const res = await anonymous({ ip: "10.0.0.1" }).post("/api/v1/session", {
      username: "bob",
      password: "not-bobs-password",
    });
    expectProblem(res, 401, ["password"]);
    expect(res.json.detail).toBe(WRONG);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("an unknown user gets the same answer as a wrong password", async () => {
    const wrong = await anonymous({ ip: "10.0.0.2" }).post("/api/v1/session", {
      username: "bob",
      password: "nope-nope-1",
    });
    const unknown = await anonymous({ ip: "10.0.0.2" }).post("/api/v1/session", {
      username: "nobody",
      password: "nope-nope-1",
    });
    expectProblem(unknown, 401, ["password"]);
    expect(unknown.json.detail).toBe(wrong.json.detail);
    expect(unknown.json.invalid_params).toEqual(wrong.json.invalid_params);
  });

  it("an empty body answers 400 naming both fields", async () => {
    const res = await anonymous().post("/api/v1/session", {});
    expectProblem(res, 400, ["password", "username"]);
  });

  it(`locks a username after ${LOGIN_MAX_FAILURES} failures: even the right password gets 429 with Retry-After`, async () => {
    const carol = await createUser(admin, "carol");
    const client = anonymous({ ip: "10.0.1.1" });
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      expectProblem(await client.post("/api/v1/session", { username: "carol", password: `guess-number-${i}` }), 401);
    }
    const locked = await client.post("/api/v1/session", { username: "carol", password: carol.password });
    expectProblem(locked, 429);
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(locked.headers.getSetCookie()).toEqual([]);
    // the lock is on the username, whichever address the next attempt comes from
    expectProblem(
      await anonymous({ ip: "10.0.1.2" }).post("/api/v1/session", { username: "carol", password: carol.password }),
      429,
    );
    // and it does not lock other users out
    expect(
      (await anonymous({ ip: "10.0.1.1" }).post("/api/v1/session", { username: "bob", password: bob.password })).status,
    ).toBe(200);
  });

  it("a successful sign-in clears the failure count", async () => {
    const dave = await createUser(admin, "dave");
    const client = anonymous({ ip: "10.0.2.1" });
    for (let i = 0; i < LOGIN_MAX_FAILURES - 1; i++) {
      expectProblem(await client.post("/api/v1/session", { username: "dave", password: `guess-number-${i}` }), 401);
    }
    expect((await client.post("/api/v1/session", { username: "dave", password: dave.password })).status).toBe(200);
    expectProblem(await client.post("/api/v1/session", { username: "dave", password: "guess-again-1" }), 401);
    expect((await client.post("/api/v1/session", { username: "dave", password: dave.password })).status).toBe(200);
  });

  it("a disabled user cannot sign in", async () => {
    const erin = await createUser(admin, "erin", { enabled: false });
    const res = await anonymous().post("/api/v1/session", { username: "erin", password: erin.password });
    expectProblem(res, 401, ["username"]);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await db().session.count({ where: { userId: erin.id } })).toBe(0);
  });
});

describe("GET /api/v1/session", () => {
  it("returns the signed-in user and the local zone", async () => {
    const client = await signIn("bob", bob.password);
    const res = await client.get("/api/v1/session");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      user: {
        id: bob.id,
        username: "bob",
        displayName: "",
        email: "",
        isAdmin: false,
        primaryGroup: { id: bob.primaryGroup.id, name: "users" },
        groups: [{ id: bob.primaryGroup.id, name: "users" }],
        umask: "177",
        createRights: ["IMAGE", "VM_TEMPLATE", "SERVICE_TEMPLATE"],
      },
      zone: {
        id: expect.any(Number),
        name: "default",
        description: "",
        endpoint: "http://localhost",
        local: true,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
  });

  it("an expired session answers 401 and is removed", async () => {
    const client = await signIn("bob", bob.password);
    const sessions = await db().session.findMany({ where: { userId: bob.id }, orderBy: { createdAt: "desc" } });
    await db().session.update({ where: { id: sessions[0].id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expectProblem(await client.get("/api/v1/session"), 401);
    expect(await db().session.findUnique({ where: { id: sessions[0].id } })).toBeNull();
  });

  it("a malformed cookie counts as signed out, and signing in replaces it", async () => {
    const headers = { cookie: "bazaar_session=%E0%A4%A; other=1" };
    expectProblem(await anonymous().get("/api/v1/session", { headers }), 401);
    const res = await anonymous().post("/api/v1/session", { username: "bob", password: bob.password }, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toMatch(/^bazaar_session=[A-Za-z0-9_-]{40,};/);
  });
});

describe("DELETE /api/v1/session (sign out)", () => {
  it("ends the session: the old cookie answers 401", async () => {
    const client = await signIn("bob", bob.password);
    const cookie = client.sessionCookie!;
    const res = await client.delete("/api/v1/session");
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()[0]).toMatch(/^bazaar_session=; .*Max-Age=0/);
    expect(client.sessionCookie).toBeUndefined();
    expectProblem(await new ApiClient({ cookie }).get("/api/v1/session"), 401);
  });

  it("without a session is not an error", async () => {
    expect((await anonymous().delete("/api/v1/session")).status).toBe(204);
  });
});

describe("cross-site request protection for cookie sessions", () => {
  let client: ApiClient;
  beforeAll(async () => {
    client = await signIn("bob", bob.password);
  });

  it("refuses a write without Origin with 403 and changes nothing", async () => {
    const res = await client.patch("/api/v1/profile", { displayName: "Mallory was here" }, { origin: null });
    expectProblem(res, 403);
    expect(res.json.detail).toMatch(/Cross-site request refused/);
    expect((await client.get("/api/v1/session")).json.user.displayName).toBe("");
  });

  it("refuses a write from a foreign Origin with 403", async () => {
    const res = await client.patch("/api/v1/profile", { displayName: "Mallory" }, { origin: "https://evil.example" });
    expectProblem(res, 403);
    expect(res.json.detail).toBe("Cross-site request refused (Origin https://evil.example)");
    expectProblem(await client.delete("/api/v1/session", { origin: "https://evil.example" }), 403);
    expect((await client.get("/api/v1/session")).status).toBe(200);
  });

  it("accepts a write from its own origin", async () => {
    const res = await client.patch("/api/v1/profile", { displayName: "Bob" });
    expect(res.status).toBe(200);
    expect(res.json.displayName).toBe("Bob");
  });

  it("reads need no Origin", async () => {
    expect((await client.get("/api/v1/session", { origin: null })).status).toBe(200);
  });
});

describe("secrets", () => {
  it("no password, cookie or hash appears in any response or audit event", async () => {
    await expectNoSecretsLeaked();
  });
});
