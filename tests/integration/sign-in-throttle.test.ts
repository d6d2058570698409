import { beforeAll, describe, expect, it } from "vitest";
import { getConfig, setConfigForTests } from "@/lib/config";
import { db } from "@/lib/db/client";
import { anonymous, ApiClient, createUser, expectProblem, signIn, signInAdmin, type UserFixture } from "../helpers/api";
import { LOGIN_MAX_FAILURES } from "../helpers/fixtures";

/**
 * Sign-in throttling per username and per client address (lib/auth/login-throttle.ts), with
 * the client address taken as the HTTP server hands it over (lib/auth/forwarding.mjs): the
 * `ip` of a test client is its socket address, and 10.9.0.0/16 is a trusted proxy here.
 */
const PROXY = "10.9.0.1";
const ADDRESS_LIMIT = LOGIN_MAX_FAILURES * 4;

let admin: ApiClient;
let bob: UserFixture;

beforeAll(async () => {
  setConfigForTests({ ...getConfig(), trustedProxies: ["10.9.0.0/16"] });
  admin = await signInAdmin();
  bob = await createUser(admin, "bob");
  // guesses at existing users: an unknown one is checked against the full-cost dummy hash
  await createUsers("guess-", 7);
});

const createUsers = (prefix: string, count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => createUser(admin, `${prefix}${i}`)));

const attempt = (client: ApiClient, username: string, password: string, headers?: Record<string, string>) =>
  client.post("/api/v1/session", { username, password }, { headers });

/** `count` wrong passwords spread over 7 usernames (never more than 3 for one), all answered 401. */
async function failOverUsernames(
  count: number,
  client: () => ApiClient,
  headers?: (i: number) => Record<string, string>,
) {
  for (let i = 0; i < count; i++) {
    const res = await attempt(client(), `guess-${i % 7}`, `wrong-${i}`, headers?.(i));
    expectProblem(res, 401);
  }
}

const failedSignIns = async (username: string) =>
  db().auditEvent.count({ where: { action: "session.sign-in-failed", objectName: username } });

describe("the per-address limit", () => {
  it("without a known address no one shares a bucket: failures over many usernames lock no one else out", async () => {
    await failOverUsernames(ADDRESS_LIMIT, () => anonymous());
    const res = await attempt(anonymous(), "bob", bob.password);
    expect(res.status, res.text).toBe(200);
    await db().loginThrottle.deleteMany({ where: { key: { startsWith: "user:guess-" } } });
  });

  it(`${ADDRESS_LIMIT} failures over 7 usernames lock that address, not another one`, async () => {
    await failOverUsernames(ADDRESS_LIMIT, () => anonymous({ ip: "198.51.100.1" }));
    const locked = await attempt(anonymous({ ip: "198.51.100.1" }), "bob", bob.password);
    expectProblem(locked, 429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const res = await attempt(anonymous({ ip: "198.51.100.2" }), "bob", bob.password);
    expect(res.status, res.text).toBe(200);
    await db().loginThrottle.deleteMany({ where: { key: { startsWith: "user:guess-" } } });
  });

  it("rotating X-Forwarded-For (or X-Real-IP) from an untrusted peer does not escape it", async () => {
    await failOverUsernames(
      ADDRESS_LIMIT,
      () => anonymous({ ip: "198.51.100.3" }),
      (i) => ({ "X-Forwarded-For": `203.0.113.${i}`, "X-Real-IP": `203.0.113.${100 + i}` }),
    );
    const res = await attempt(anonymous({ ip: "198.51.100.3" }), "bob", bob.password, {
      "X-Forwarded-For": "203.0.113.250",
    });
    expectProblem(res, 429);
    await db().loginThrottle.deleteMany({ where: { key: { startsWith: "user:guess-" } } });
  });

  it("behind a trusted proxy, spoofed entries left of the real client do not escape it", async () => {
    // the proxy appends the address it saw (198.51.100.4) to whatever the client sent
    await failOverUsernames(
      ADDRESS_LIMIT,
      () => anonymous({ ip: PROXY }),
      (i) => ({ "X-Forwarded-For": `203.0.113.${i}, 198.51.100.4` }),
    );
    const spoofed = { "X-Forwarded-For": "203.0.113.251, 198.51.100.4" };
    expectProblem(await attempt(anonymous({ ip: PROXY }), "bob", bob.password, spoofed), 429);
    // another client behind the same proxy is not locked out
    const other = await attempt(anonymous({ ip: PROXY }), "bob", bob.password, { "X-Forwarded-For": "198.51.100.5" });
    expect(other.status, other.text).toBe(200);
    const [failure] = await db().auditEvent.findMany({
      where: { action: "session.sign-in-failed" },
      orderBy: { id: "desc" },
      take: 1,
    });
    expect(JSON.parse(failure.details)).toEqual({ ip: "198.51.100.4" });
    await db().loginThrottle.deleteMany({ where: { key: { startsWith: "user:guess-" } } });
  });

  it("an IPv6 client is counted by its /64, and an IPv4 client alike however its socket spells it", async () => {
    await failOverUsernames(ADDRESS_LIMIT, () => anonymous({ ip: "2001:db8:1:2::1" }), undefined);
    await db().loginThrottle.deleteMany({ where: { key: { startsWith: "user:guess-" } } });
    expectProblem(await attempt(anonymous({ ip: "2001:db8:1:2:abcd::9" }), "bob", bob.password), 429);
    expect((await attempt(anonymous({ ip: "2001:db8:1:3::1" }), "bob", bob.password)).status).toBe(200);

    await failOverUsernames(ADDRESS_LIMIT, (i = 0) =>
      anonymous({ ip: i % 2 ? "198.51.100.6" : "::ffff:198.51.100.6" }),
    );
    expectProblem(await attempt(anonymous({ ip: "198.51.100.6" }), "bob", bob.password), 429);
    expectProblem(await attempt(anonymous({ ip: "::ffff:198.51.100.6" }), "bob", bob.password), 429);
    await db().loginThrottle.deleteMany({ where: { key: { startsWith: "user:guess-" } } });
  });

  it("a successful sign-in does not count against the address", async () => {
    const client = anonymous({ ip: "198.51.100.7" });
    await failOverUsernames(ADDRESS_LIMIT - 1, () => client);
    for (let i = 0; i < 5; i++) expect((await attempt(client, "bob", bob.password)).status).toBe(200);
    expectProblem(await attempt(client, "guess-0", "wrong-last"), 401);
    expectProblem(await attempt(client, "bob", bob.password), 429);
    await db().loginThrottle.deleteMany({ where: { key: { startsWith: "user:guess-" } } });
  });
});

describe("concurrent attempts", () => {
  it(`40 parallel wrong passwords for one user: exactly ${LOGIN_MAX_FAILURES} reach the password check`, async () => {
    const gina = await createUser(admin, "gina");
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(anonymous(), "gina", `parallel-guess-${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_MAX_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - LOGIN_MAX_FAILURES);
    // every password check that failed left an audit event; none was skipped
    expect(await failedSignIns("gina")).toBe(LOGIN_MAX_FAILURES);
    expectProblem(await attempt(anonymous(), "gina", gina.password), 429);
    // refused attempts were not counted: the count is of the checked ones
    expect((await db().loginThrottle.findUnique({ where: { key: "user:gina" } }))?.failures).toBe(LOGIN_MAX_FAILURES);
  });

  it(`40 parallel wrong passwords over 40 usernames from one address: exactly ${ADDRESS_LIMIT} are checked`, async () => {
    await createUsers("spray-", 40);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(anonymous({ ip: "198.51.100.8" }), `spray-${i}`, "wrong")),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(ADDRESS_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - ADDRESS_LIMIT);
    // the refused attempts did not count against the usernames either
    const counted = await db().loginThrottle.findMany({ where: { key: { startsWith: "user:spray-" } } });
    expect(counted).toHaveLength(ADDRESS_LIMIT);
  });

  // Attempts are counted while their password is checked, so more than the limit at once is
  // refused even when right; up to the limit they all go through, and leave nothing behind.
  it(`${LOGIN_MAX_FAILURES} parallel attempts with the right password all succeed and leave nothing counted`, async () => {
    const results = await Promise.all(
      Array.from({ length: LOGIN_MAX_FAILURES }, () => attempt(anonymous({ ip: "198.51.100.9" }), "bob", bob.password)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(LOGIN_MAX_FAILURES).fill(200));
    expect(await db().loginThrottle.findUnique({ where: { key: "user:bob" } })).toBeNull();
    const address = await db().loginThrottle.findUnique({ where: { key: "ip:198.51.100.9" } });
    expect(address?.failures ?? 0).toBe(0);
  });
});

describe("the window and the lock", () => {
  const backdate = (key: string, minutes: number) =>
    db().loginThrottle.update({
      where: { key },
      data: {
        windowStart: new Date(Date.now() - minutes * 60_000),
        lockedUntil: null,
      },
    });

  it("a lock ends after BAZAAR_LOGIN_LOCK_MINUTES and the count starts again", async () => {
    const hank = await createUser(admin, "hank");
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) expectProblem(await attempt(anonymous(), "hank", `wrong-${i}`), 401);
    expectProblem(await attempt(anonymous(), "hank", hank.password), 429);
    const row = await db().loginThrottle.findUniqueOrThrow({ where: { key: "user:hank" } });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    // the lock is in the past: same as 16 minutes later
    await db().loginThrottle.update({
      where: { key: "user:hank" },
      data: { windowStart: new Date(Date.now() - 17 * 60_000), lockedUntil: new Date(Date.now() - 60_000) },
    });
    expectProblem(await attempt(anonymous(), "hank", "wrong-again"), 401);
    expect((await db().loginThrottle.findUniqueOrThrow({ where: { key: "user:hank" } })).failures).toBe(1);
    expect((await attempt(anonymous(), "hank", hank.password)).status).toBe(200);
  });

  it("failures older than the window are forgotten; a lock still running is not", async () => {
    await createUser(admin, "ivan");
    for (let i = 0; i < LOGIN_MAX_FAILURES - 1; i++) await attempt(anonymous(), "ivan", `wrong-${i}`);
    await backdate("user:ivan", 16);
    expectProblem(await attempt(anonymous(), "ivan", "wrong-new-window"), 401);
    expect((await db().loginThrottle.findUniqueOrThrow({ where: { key: "user:ivan" } })).failures).toBe(1);

    // an old window with a lock that has not run out yet still refuses
    await db().loginThrottle.update({
      where: { key: "user:ivan" },
      data: {
        failures: LOGIN_MAX_FAILURES,
        windowStart: new Date(Date.now() - 16 * 60_000),
        lockedUntil: new Date(Date.now() + 60_000),
      },
    });
    const locked = await attempt(anonymous(), "ivan", "wrong-while-locked");
    expectProblem(locked, 429);
    expect(Number(locked.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  });
});

describe("forwarding headers only a trusted proxy may set", () => {
  const https = { "X-Forwarded-Proto": "https", "X-Forwarded-Host": "portal.example" };

  it("marks the cookie Secure behind a trusted https proxy", async () => {
    const res = await attempt(anonymous({ ip: PROXY }), "bob", bob.password, https);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toMatch(/; Secure$/);
  });

  it("ignores X-Forwarded-Proto from anyone else, or without a known peer", async () => {
    for (const client of [anonymous({ ip: "198.51.100.10" }), anonymous()]) {
      const res = await attempt(client, "bob", bob.password, https);
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie()[0]).not.toContain("Secure");
    }
  });

  it("accepts the Origin a trusted proxy names with X-Forwarded-Host, and no one else's", async () => {
    const viaProxy = await signIn("bob", bob.password, { ip: PROXY });
    const write = (client: ApiClient) =>
      client.patch("/api/v1/profile", { displayName: "Bob" }, { origin: "https://portal.example", headers: https });
    expect((await write(viaProxy)).status).toBe(200);
    const direct = new ApiClient({ ip: "198.51.100.11", cookie: viaProxy.sessionCookie });
    expectProblem(await write(direct), 403);
  });
});
