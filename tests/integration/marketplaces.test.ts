import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateMultipartUploadCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig, setConfigForTests } from "@/lib/config";
import { db } from "@/lib/db/client";
import { startWorker } from "@/lib/jobs/worker";
import { openSecrets, sealSecrets } from "@/lib/markets/market-spec";
import { localZone } from "@/lib/zones/local-zone";
import {
  ApiClient,
  createGroup,
  createUser,
  expectProblem,
  recordedExchanges,
  signIn,
  signInAdmin,
  type Json,
  type UserFixture,
} from "../helpers/api";
import { expectNoSecretsLeaked } from "../helpers/secrets";
import { allowLoopbackUrls, randomPayload, serveBytes, waitFor } from "../support/images";
import { closedPort, fetchMarketFile, MiB, publishReady, s3Client, s3Keys, urlImage } from "../support/markets";
import { S3RVER_SECRET_ACCESS_KEY, startS3, type TestS3 } from "../support/s3";

/**
 * Marketplaces through the API: creation per driver with its validation and backend check,
 * secrets that never come back, updates, enable/disable, deletion with and without apps,
 * chmod/chown, the monitor and its errors, and zone rules.
 */
let admin: ApiClient;
let adminId: number;
let worker: ReturnType<typeof startWorker>;
let server: Awaited<ReturnType<typeof serveBytes>>;
let s3: TestS3;
let mona: UserFixture; // may create marketplaces and apps
let m: ApiClient;
let nick: UserFixture; // default rights: no marketplaces, no apps
let n: ApiClient;
let image: Json; // a READY image of admin's to publish
let imagesDs: Json;
const root = mkdtempSync(path.join(tmpdir(), "bazaar-markets-"));
const disk = randomPayload(256 * 1024);

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  adminId = (await admin.get("/api/v1/session")).json.user.id;
  s3 = await startS3();
  server = await serveBytes({ "/disk.raw": disk.data });
  worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, log: () => {} });
  const makers = await createGroup(admin, "market-makers", {
    createRights: ["IMAGE", "MARKETPLACE", "MARKETPLACE_APP"],
  });
  mona = await createUser(admin, "mona", { primaryGroupId: makers, groupIds: [makers] });
  m = await signIn("mona", mona.password);
  nick = await createUser(admin, "nick");
  n = await signIn("nick", nick.password);
  const ds = await admin.post("/api/v1/datastores", { name: "images" });
  expect(ds.status, ds.text).toBe(201);
  imagesDs = ds.json;
  image = await urlImage(admin, { url: server.url("/disk.raw"), name: "disk", datastoreId: imagesDs.id });
});

afterAll(async () => {
  await worker.stop();
  await server.close();
  await s3.stop();
  rmSync(s3.directory, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

const httpBody = (name: string, dir = name, extra: Record<string, unknown> = {}) => ({
  name,
  driver: "http",
  config: { publicDir: path.join(root, dir), ...extra },
});

const s3Body = (
  name: string,
  bucket: string,
  config: Record<string, unknown> = {},
  secret = S3RVER_SECRET_ACCESS_KEY,
) => ({
  name,
  driver: "s3",
  config: {
    accessKeyId: "S3RVER",
    region: "us-east-1",
    bucket,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    partSizeMb: 5,
    ...config,
  },
  secrets: { secretAccessKey: secret },
});

async function create(client: ApiClient, body: unknown): Promise<Json> {
  const res = await client.post("/api/v1/marketplaces", body);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** The status of the portal's answer at a public app URL (its body read and dropped). */
async function servedStatus(source: string) {
  const res = await fetchMarketFile(source);
  await res.arrayBuffer();
  return res.status;
}

const names = async (client: ApiClient, query = "") =>
  (await client.get(`/api/v1/marketplaces?perPage=200${query}`)).json.items.map((x: Json) => x.name) as string[];

describe("create", () => {
  it("http: an admin creates one on a directory; 201 with capacity, location and shared rights", async () => {
    const mk = await create(admin, { ...httpBody("files"), description: "local files" });
    expect(mk).toMatchObject({
      name: "files",
      driver: "http",
      description: "local files",
      zone: { id: (await localZone()).id },
      local: true,
      enabled: true,
      state: "ENABLED",
      config: { publicDir: path.join(root, "files"), baseUrl: "" },
      secretsSet: [],
      appCount: 0,
      monitorError: "",
      capabilities: { create: true, delete: true, monitor: true, read: true, range: true },
      owner: { id: adminId, name: "admin" },
      // umask 177 leaves 600; marketplaces add USE for group and others
      permissions: { octal: "644" },
    });
    expect(mk.location).toMatch(new RegExp(`^https?://[^/]+/market/${mk.id}$`));
    expect(mk.capacity.totalBytes).toBeGreaterThan(0);
    expect(mk.capacity.freeBytes).toBeGreaterThan(0);
    expect(mk.monitoredAt).not.toBeNull();
    expect(existsSync(path.join(root, "files"))).toBe(true);
    // the periodic monitor may have measured it again meanwhile: all but the measurement is stable
    const { capacity: _c, monitoredAt: _m, updatedAt: _u, ...stable } = mk;
    expect((await admin.get(`/api/v1/marketplaces/${mk.id}`)).json).toMatchObject(stable);
    // created in the local zone, seen by every user who may use it
    expect(await names(n)).toContain("files");
  });

  it("s3: creates the bucket; capacity is TOTAL_MB; the secret is sealed at rest", async () => {
    const mk = await create(admin, s3Body("objects", "objects", { totalMb: 100 }));
    expect(mk).toMatchObject({
      driver: "s3",
      location: "s3://objects",
      secretsSet: ["secretAccessKey"],
      config: { accessKeyId: "S3RVER", bucket: "objects", endpoint: s3.endpoint, partSizeMb: 5, totalMb: 100 },
      capacity: { totalBytes: 100 * MiB, usedBytes: 0, freeBytes: 100 * MiB },
    });
    expect(Object.keys(mk.config)).not.toContain("secretAccessKey");
    expect(readdirSync(s3.directory)).toContain("objects");
    const row = await db().marketplace.findUniqueOrThrow({ where: { id: mk.id } });
    expect(row.secrets).not.toBe("");
    expect(row.secrets).not.toContain(S3RVER_SECRET_ACCESS_KEY);
    expect(row.secrets).not.toContain("secretAccessKey");
    expect(row.config).not.toContain("secretAccessKey");
    expect(openSecrets(row.secrets)).toEqual({ secretAccessKey: S3RVER_SECRET_ACCESS_KEY });
  });

  it("names missing and invalid attributes (400)", async () => {
    const bad = async (body: unknown, fields: string[]) =>
      expectProblem(await admin.post("/api/v1/marketplaces", body), 400, fields);
    const { config } = s3Body("x", "valid-bucket");
    const { bucket: _bucket, ...noBucket } = config;
    await bad({ name: "s", driver: "s3", config: noBucket, secrets: { secretAccessKey: "k" } }, ["config.bucket"]);
    await bad({ name: "s", driver: "s3", config, secrets: {} }, ["secrets.secretAccessKey"]);
    await bad(
      { name: "s", driver: "s3", config: { ...config, bucket: "Not_A_Bucket" }, secrets: { secretAccessKey: "k" } },
      ["config.bucket"],
    );
    for (const partSizeMb of [1, 101])
      await bad({ name: "s", driver: "s3", config: { ...config, partSizeMb }, secrets: { secretAccessKey: "k" } }, [
        "config.partSizeMb",
      ]);
    await bad(
      { name: "s", driver: "s3", config: { ...config, endpoint: "ftp://x" }, secrets: { secretAccessKey: "k" } },
      ["config.endpoint"],
    );
    await bad({ name: "h", driver: "http", config: {} }, ["config.publicDir"]);
    await bad({ name: "h", driver: "http", config: { publicDir: "relative/dir" } }, ["config.publicDir"]);
    await bad({ name: "h", driver: "http", config: { publicDir: `${root}/../x` } }, ["config.publicDir"]);
    // a system directory, anything inside one, and the root itself
    for (const publicDir of ["/etc", "/etc/bazaar-market", "/usr/local/market", "/"]) {
      const res = await admin.post("/api/v1/marketplaces", { name: "h", driver: "http", config: { publicDir } });
      expectProblem(res, 400, ["config.publicDir"]);
      expect(res.json.invalid_params[0].reason).toMatch(/system directory/);
    }
    expect(existsSync("/etc/bazaar-market")).toBe(false);
    await bad({ name: "h", driver: "http", config: { publicDir: getConfig().dataDir } }, ["config.publicDir"]);
    await bad({ name: "h", driver: "http", config: { publicDir: path.join(getConfig().dataDir, "datastores", "9") } }, [
      "config.publicDir",
    ]);
    await bad({ name: "h", driver: "http", config: { publicDir: imagesDs.basePath } }, ["config.publicDir"]);
    // another marketplace's directory, or one inside it
    await bad(httpBody("h", "files"), ["config.publicDir"]);
    await bad(httpBody("h", "files/inner"), ["config.publicDir"]);
    await bad(httpBody("h", "h", { baseUrl: "javascript:alert(1)" }), ["config.baseUrl"]);
    await bad({ name: "h", driver: "ftp", config: {} }, ["driver"]);
    await bad({ ...httpBody("h"), name: "" }, ["name"]);
    expect(await names(admin)).toEqual(["files", "objects"]);
  });

  it("checks the backend: a wrong secret, an unknown key or an unreachable endpoint is named (400)", async () => {
    const wrongSecret = "wrong-Secret-Value-7xq2";
    const res = await admin.post("/api/v1/marketplaces", s3Body("s", "wrong-secret", {}, wrongSecret));
    expectProblem(res, 400, ["secrets.secretAccessKey"]);
    expect(res.json.detail).toMatch(/secret key/);
    expect(res.text).not.toContain(wrongSecret);
    expectProblem(await admin.post("/api/v1/marketplaces", s3Body("s", "wrong-key", { accessKeyId: "NOBODY" })), 400, [
      "config.accessKeyId",
    ]);
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const down = await admin.post("/api/v1/marketplaces", s3Body("s", "down", { endpoint: unreachable }));
    expectProblem(down, 400, ["config.endpoint"]);
    expect(down.json.detail).toMatch(/cannot reach/);
    // the check endpoint answers the same without saving anything
    const { name: _name, ...driverOnly } = s3Body("s", "checked");
    const ok = await admin.post("/api/v1/marketplaces/check", driverOnly);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ ok: true, capacity: { totalBytes: 1048576 * MiB } });
    const { name: _n2, ...wrongOnly } = s3Body("s", "checked", {}, wrongSecret);
    expectProblem(await admin.post("/api/v1/marketplaces/check", wrongOnly), 400, ["secrets.secretAccessKey"]);
    expect(await names(admin)).toEqual(["files", "objects"]);
  });

  it("refuses a name in use (409)", async () => {
    expectProblem(await admin.post("/api/v1/marketplaces", httpBody("files", "files-2")), 409, ["name"]);
    expectProblem(await admin.post("/api/v1/marketplaces", s3Body("files", "files-3")), 409, ["name"]);
  });

  it("needs the create right; only admins may choose a directory; non-admin endpoints obey the URL policy", async () => {
    expectProblem(await n.post("/api/v1/marketplaces", s3Body("nicks", "nicks")), 403);
    expectProblem(await n.post("/api/v1/marketplaces", httpBody("nicks")), 403);
    const { name: _name, ...driverOnly } = s3Body("s", "nicks");
    expectProblem(await n.post("/api/v1/marketplaces/check", driverOnly), 403);
    // mona's group has the right, but a directory on this machine is for admins
    expectProblem(await m.post("/api/v1/marketplaces", httpBody("monas-files")), 403);
    expect(existsSync(path.join(root, "monas-files"))).toBe(false);
    // loopback is refused for non-admins unless the operator allowed it
    const allowed = getConfig();
    setConfigForTests({ ...allowed, urlAllow: [] });
    try {
      expectProblem(await m.post("/api/v1/marketplaces", s3Body("monas", "monas")), 400, ["config.endpoint"]);
    } finally {
      setConfigForTests(allowed);
    }
    const mine = await create(m, s3Body("monas", "monas"));
    expect(mine).toMatchObject({ owner: { name: "mona" }, group: { name: "market-makers" } });
    expect((await m.get(`/api/v1/marketplaces/${mine.id}`)).json.config.accessKeyId).toBe("S3RVER");
  });
});

describe("secrets", () => {
  it("users who may not manage a marketplace see its access key id masked; nobody sees the secret", async () => {
    const [objects] = (await admin.get("/api/v1/marketplaces?q=objects")).json.items;
    const seen = (await n.get(`/api/v1/marketplaces/${objects.id}`)).json;
    expect(seen.config.accessKeyId).toBe("S3RV••••");
    expect(seen.secretsSet).toEqual(["secretAccessKey"]);
    expect(Object.keys(seen.config)).not.toContain("secretAccessKey");
    const listed = (await n.get("/api/v1/marketplaces?driver=s3")).json.items;
    expect(listed.map((x: Json) => x.config.accessKeyId)).toEqual(["S3RV••••", "S3RV••••"]);
    expect((await admin.get(`/api/v1/marketplaces/${objects.id}`)).json.config.accessKeyId).toBe("S3RVER");
  });

  it("a stored secret never reaches any response or audit event, whatever the request", async () => {
    const vault = await create(admin, s3Body("vault", "vault"));
    // a secret sent in a change that the backend refuses is not stored, and not echoed
    const rejected = "rejected-Secret-4kq9w";
    const res = await admin.patch(`/api/v1/marketplaces/${vault.id}`, { secrets: { secretAccessKey: rejected } });
    expectProblem(res, 400, ["secrets.secretAccessKey"]);
    let row = await db().marketplace.findUniqueOrThrow({ where: { id: vault.id } });
    expect(openSecrets(row.secrets)).toEqual({ secretAccessKey: S3RVER_SECRET_ACCESS_KEY });

    // a distinctive stored secret (the service's key was rotated behind the portal's back)
    const stored = "stored-Secret-Zp3v8q";
    await db().marketplace.update({
      where: { id: vault.id },
      data: { secrets: sealSecrets({ secretAccessKey: stored }) },
    });
    row = await db().marketplace.findUniqueOrThrow({ where: { id: vault.id } });
    expect(row.secrets).not.toContain(stored);
    const before = recordedExchanges().length;
    for (const client of [admin, n]) {
      expect((await client.get(`/api/v1/marketplaces/${vault.id}`)).status).toBe(200);
      expect((await client.get("/api/v1/marketplaces?perPage=200")).status).toBe(200);
    }
    const monitored = await admin.post(`/api/v1/marketplaces/${vault.id}/monitor`);
    expect(monitored.status, monitored.text).toBe(200);
    expect(monitored.json.monitorError).toMatch(/SignatureDoesNotMatch|signature/);
    expect((await admin.patch(`/api/v1/marketplaces/${vault.id}`, { description: "rotated" })).status).toBe(200);
    expect((await admin.post(`/api/v1/marketplaces/${vault.id}/chmod`, { permissions: "640" })).status).toBe(204);
    expectProblem(await admin.patch(`/api/v1/marketplaces/${vault.id}`, { config: { totalMb: 10 } }), 400, [
      "secrets.secretAccessKey",
    ]);
    // replacing the secret with the right one is checked and stored sealed
    const fixed = await admin.patch(`/api/v1/marketplaces/${vault.id}`, {
      secrets: { secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
    });
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.json.monitorError).toBe("");
    row = await db().marketplace.findUniqueOrThrow({ where: { id: vault.id } });
    expect(openSecrets(row.secrets)).toEqual({ secretAccessKey: S3RVER_SECRET_ACCESS_KEY });
    // a secret sent among the attributes (a client's mistake) is dropped, neither stored nor logged
    const misplaced = "misplaced-Secret-R7m2k";
    const mistaken = await admin.patch(`/api/v1/marketplaces/${vault.id}`, {
      config: { totalMb: 20, secretAccessKey: misplaced },
    });
    expect(mistaken.status, mistaken.text).toBe(200);
    expect(mistaken.json.config.totalMb).toBe(20);
    expect(mistaken.json.config).not.toHaveProperty("secretAccessKey");
    row = await db().marketplace.findUniqueOrThrow({ where: { id: vault.id } });
    expect(row.config).not.toContain(misplaced);
    expect(openSecrets(row.secrets)).toEqual({ secretAccessKey: S3RVER_SECRET_ACCESS_KEY });
    expect(recordedExchanges().length).toBeGreaterThan(before);

    const leaks: string[] = [];
    for (const x of recordedExchanges()) {
      for (const s of [stored, rejected, misplaced, "wrong-Secret-Value-7xq2"])
        if (x.responseText.includes(s)) leaks.push(`${s} in the response to ${x.method} ${x.path}`);
      // the DTO names secret attributes only in secretsSet
      const body = x.responseText.startsWith("{") ? JSON.parse(x.responseText) : null;
      for (const item of body?.items ?? (body?.driver ? [body] : []))
        if (item.config && "secretAccessKey" in item.config) leaks.push(`secretAccessKey in ${x.method} ${x.path}`);
    }
    for (const e of await db().auditEvent.findMany()) {
      const text = JSON.stringify(e);
      for (const s of [stored, rejected, misplaced, "wrong-Secret-Value-7xq2", `"secretAccessKey":"`])
        if (text.includes(s)) leaks.push(`${s} in audit event ${e.action}`);
    }
    expect(leaks).toEqual([]);
    const audits = await db().auditEvent.findMany({ where: { objectType: "MARKETPLACE", objectId: String(vault.id) } });
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(["marketplace.create", "marketplace.update", "chmod"]),
    );
  });
});

describe("update", () => {
  it("merges config changes over the stored ones and checks the result against the backend", async () => {
    const mk = await create(admin, s3Body("editable", "editable"));
    const res = await admin.patch(`/api/v1/marketplaces/${mk.id}`, { config: { totalMb: 200, partSizeMb: 8 } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.config).toEqual({ ...mk.config, totalMb: 200, partSizeMb: 8 });
    expect(res.json.capacity).toMatchObject({ totalBytes: 200 * MiB });
    expect(res.json.secretsSet).toEqual(["secretAccessKey"]);

    expectProblem(await admin.patch(`/api/v1/marketplaces/${mk.id}`, { config: { bucket: "Bad_Bucket" } }), 400, [
      "config.bucket",
    ]);
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    expectProblem(await admin.patch(`/api/v1/marketplaces/${mk.id}`, { config: { endpoint: unreachable } }), 400, [
      "config.endpoint",
    ]);
    expectProblem(await admin.patch(`/api/v1/marketplaces/${mk.id}`, {}), 400);
    // refused changes leave it as it was
    expect((await admin.get(`/api/v1/marketplaces/${mk.id}`)).json.config).toEqual(res.json.config);
  });

  it("a non-admin who may manage an s3 marketplace retypes its secret to point its credentials elsewhere", async () => {
    const mk = await create(admin, s3Body("shared-creds", "shared-creds"));
    expect((await admin.post(`/api/v1/marketplaces/${mk.id}/chmod`, { permissions: "666" })).status).toBe(204);
    const url = `/api/v1/marketplaces/${mk.id}`;
    expectProblem(await m.patch(url, { config: { bucket: "elsewhere" } }), 400, ["secrets.secretAccessKey"]);
    expectProblem(await m.patch(url, { config: { keyPrefix: "other" } }), 400, ["secrets.secretAccessKey"]);
    expect(readdirSync(s3.directory)).not.toContain("elsewhere");
    // what does not move the credentials needs no secret
    expect((await m.patch(url, { config: { totalMb: 30 } })).status).toBe(200);
    const moved = await m.patch(url, {
      config: { bucket: "elsewhere" },
      secrets: { secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json.config).toMatchObject({ bucket: "elsewhere", totalMb: 30 });
  });

  it("renames (409 on a taken name) and changes the public URL of an http marketplace", async () => {
    const mk = await create(admin, httpBody("renamable"));
    const renamed = await admin.patch(`/api/v1/marketplaces/${mk.id}`, { name: "renamed", description: "new" });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json).toMatchObject({ name: "renamed", description: "new" });
    expectProblem(await admin.patch(`/api/v1/marketplaces/${mk.id}`, { name: "files" }), 409, ["name"]);
    const cdn = await admin.patch(`/api/v1/marketplaces/${mk.id}`, {
      config: { baseUrl: "https://cdn.example.com/apps/" },
    });
    expect(cdn.status, cdn.text).toBe(200);
    expect(cdn.json.location).toBe("https://cdn.example.com/apps");
    expect(cdn.json.config.publicDir).toBe(path.join(root, "renamable"));
    // a user with USE only may not change it
    expectProblem(await n.patch(`/api/v1/marketplaces/${mk.id}`, { name: "nicks" }), 403);
    expectProblem(await n.patch(`/api/v1/marketplaces/${mk.id}`, { enabled: false }), 403);
    expect((await admin.get("/api/v1/audit?perPage=200&q=renamed")).json.items.length).toBeGreaterThan(0);
  });
});

describe("apps in a marketplace", () => {
  it("disabling keeps its apps (listed, readable) but stops imports, publishing and public serving", async () => {
    const mk = await create(admin, httpBody("switchable"));
    const app = await publishReady(admin, { marketplaceId: mk.id, imageId: image.id, name: "kept" });
    expect(await servedStatus(app.source)).toBe(200);
    const off = await admin.patch(`/api/v1/marketplaces/${mk.id}`, { enabled: false });
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ enabled: false, state: "DISABLED", appCount: 1 });
    expect(await names(admin, "&enabled=false")).toEqual(["switchable"]);

    const still = await admin.get(`/api/v1/apps/${app.id}`);
    expect(still.json).toMatchObject({ state: "READY", marketplace: { id: mk.id, enabled: false } });
    const catalog = (await n.get(`/api/v1/apps?marketplaceId=${mk.id}`)).json;
    expect(catalog.items.map((a: Json) => a.name)).toEqual(["kept"]);
    expectProblem(await admin.post(`/api/v1/apps/${app.id}/import`, { datastoreId: imagesDs.id, name: "nope" }), 409);
    expectProblem(await admin.post("/api/v1/apps", { marketplaceId: mk.id, imageId: image.id, name: "more" }), 409, [
      "marketplaceId",
    ]);
    expect(await servedStatus(app.source)).toBe(404);
    expect(readdirSync(path.join(root, "switchable"))).toEqual([app.source.split("/").pop()]);

    const on = await admin.patch(`/api/v1/marketplaces/${mk.id}`, { enabled: true });
    expect(on.json).toMatchObject({ enabled: true, state: "ENABLED" });
    expect(await servedStatus(app.source)).toBe(200);
    const actions = (
      await db().auditEvent.findMany({ where: { objectType: "MARKETPLACE", objectId: String(mk.id) } })
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["marketplace.disable", "marketplace.enable"]));
  });

  it("refuses to move a marketplace while it has apps (409): its apps' bytes would be stranded", async () => {
    const web = await create(admin, httpBody("anchored"));
    await publishReady(admin, { marketplaceId: web.id, imageId: image.id, name: "anchor" });
    const moveWeb = await admin.patch(`/api/v1/marketplaces/${web.id}`, {
      config: { publicDir: path.join(root, "anchored-2") },
    });
    expectProblem(moveWeb, 409, ["config.publicDir"]);
    expect(existsSync(path.join(root, "anchored-2"))).toBe(false);

    const bucket = await create(admin, s3Body("anchored-s3", "anchored"));
    await publishReady(admin, { marketplaceId: bucket.id, imageId: image.id, name: "anchor" });
    const moves: Record<string, unknown> = {
      bucket: "anchored-2",
      endpoint: s3.endpoint.replace("127.0.0.1", "localhost"),
      keyPrefix: "moved",
    };
    for (const [attr, value] of Object.entries(moves))
      expectProblem(await admin.patch(`/api/v1/marketplaces/${bucket.id}`, { config: { [attr]: value } }), 409, [
        `config.${attr}`,
      ]);
    expect((await admin.get(`/api/v1/marketplaces/${bucket.id}`)).json.config).toEqual(bucket.config);
    // what does not move the bytes may still change
    expect((await admin.patch(`/api/v1/marketplaces/${bucket.id}`, { config: { totalMb: 64 } })).status).toBe(200);
  });

  it("refuses to delete a marketplace with apps unless asked to delete them and their bytes (http)", async () => {
    const mk = await create(admin, httpBody("doomed"));
    const dir = path.join(root, "doomed");
    const a = await publishReady(admin, { marketplaceId: mk.id, imageId: image.id, name: "a" });
    const b = await publishReady(admin, { marketplaceId: mk.id, imageId: image.id, name: "b" });
    expect(readdirSync(dir)).toHaveLength(2);
    expect((await admin.get(`/api/v1/marketplaces/${mk.id}`)).json.appCount).toBe(2);
    expectProblem(await admin.delete(`/api/v1/marketplaces/${mk.id}`), 409);
    expectProblem(await n.delete(`/api/v1/marketplaces/${mk.id}?deleteApps=true`), 403);
    expect(readdirSync(dir)).toHaveLength(2);
    expect((await admin.delete(`/api/v1/marketplaces/${mk.id}?deleteApps=true`)).status).toBe(204);
    expect(readdirSync(dir)).toEqual([]);
    expectProblem(await admin.get(`/api/v1/marketplaces/${mk.id}`), 404);
    expectProblem(await admin.get(`/api/v1/apps/${a.id}`), 404);
    expectProblem(await admin.get(`/api/v1/apps/${b.id}`), 404);
    // the image they came from is untouched
    expect((await admin.get(`/api/v1/images/${image.id}`)).json).toMatchObject({ state: "READY" });
    const [event] = await db().auditEvent.findMany({
      where: { action: "marketplace.delete", objectId: String(mk.id) },
    });
    expect(JSON.parse(event.details)).toEqual({ appsDeleted: [a.id, b.id] });
  });

  it("deletes an s3 marketplace's objects with it; an empty one goes at once", async () => {
    const mk = await create(admin, s3Body("doomed-s3", "doomed"));
    const app = await publishReady(admin, { marketplaceId: mk.id, imageId: image.id, name: "in-s3" });
    const client = s3Client(s3.endpoint);
    expect(await s3Keys(client, "doomed")).toEqual([app.source.replace("s3://doomed/", "")]);
    expectProblem(await admin.delete(`/api/v1/marketplaces/${mk.id}?deleteApps=false`), 409);
    expect((await admin.delete(`/api/v1/marketplaces/${mk.id}?deleteApps=true`)).status).toBe(204);
    expect(await s3Keys(client, "doomed")).toEqual([]);
    expectProblem(await admin.get(`/api/v1/apps/${app.id}`), 404);

    const empty = await create(admin, httpBody("empty"));
    expect((await admin.delete(`/api/v1/marketplaces/${empty.id}`)).status).toBe(204);
    expect(await names(admin)).not.toContain("empty");
  });
});

describe("permissions", () => {
  it("chmod hides a marketplace from others; chown hands it over", async () => {
    const mk = await create(admin, httpBody("private"));
    expect((await n.get(`/api/v1/marketplaces/${mk.id}`)).status).toBe(200);
    expectProblem(await n.post(`/api/v1/marketplaces/${mk.id}/chmod`, { permissions: "666" }), 403);
    expect((await admin.post(`/api/v1/marketplaces/${mk.id}/chmod`, { permissions: "600" })).status).toBe(204);
    expectProblem(await n.get(`/api/v1/marketplaces/${mk.id}`), 404);
    expect(await names(n)).not.toContain("private");
    expectProblem(await m.post("/api/v1/apps", { marketplaceId: mk.id, imageId: image.id, name: "x" }), 404);
    expectProblem(await m.get(`/api/v1/marketplaces/${mk.id}`), 404);

    expect((await admin.post(`/api/v1/marketplaces/${mk.id}/chown`, { ownerId: mona.id })).status).toBe(204);
    const hers = await m.get(`/api/v1/marketplaces/${mk.id}`);
    expect(hers.json).toMatchObject({ owner: { name: "mona" }, permissions: { octal: "600" } });
    expect((await m.patch(`/api/v1/marketplaces/${mk.id}`, { description: "mine" })).status).toBe(200);
    // only admins give objects away
    expectProblem(await m.post(`/api/v1/marketplaces/${mk.id}/chown`, { ownerId: nick.id }), 403);
    expect((await m.post(`/api/v1/marketplaces/${mk.id}/chmod`, { permissions: "640" })).status).toBe(204);
    expectProblem(await n.get(`/api/v1/marketplaces/${mk.id}`), 404);
  });
});

describe("monitor", () => {
  it("measures now and stores the result; needs MANAGE", async () => {
    const [files] = (await admin.get("/api/v1/marketplaces?q=files")).json.items;
    const res = await admin.post(`/api/v1/marketplaces/${files.id}/monitor`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.monitorError).toBe("");
    expect(res.json.capacity.totalBytes).toBeGreaterThan(0);
    expect(Date.parse(res.json.monitoredAt)).toBeGreaterThanOrEqual(Date.parse(files.monitoredAt));
    expectProblem(await n.post(`/api/v1/marketplaces/${files.id}/monitor`), 403);
  });

  it("the periodic monitor runs as a job per marketplace", async () => {
    const [objects] = (await admin.get("/api/v1/marketplaces?q=objects")).json.items;
    const job = await waitFor(
      "a monitor job",
      () =>
        db().job.findFirst({
          where: { kind: "marketplace.monitor", objectType: "MARKETPLACE", objectId: objects.id, state: "SUCCEEDED" },
        }),
      20_000,
    );
    expect(job.title).toContain("objects");
  }, 30_000);

  it("stores and shows an S3 monitor failure until the next success; counts what the bucket holds", async () => {
    const mk = await create(admin, s3Body("flaky", "flaky", { totalMb: 50 }));
    // the periodic monitor would race with the one this test runs
    await db().marketplace.update({ where: { id: mk.id }, data: { monitorDueAt: new Date(Date.now() + 3600_000) } });
    const app = await publishReady(admin, { marketplaceId: mk.id, imageId: image.id, name: "counted" });
    const measured = (await admin.post(`/api/v1/marketplaces/${mk.id}/monitor`)).json;
    expect(measured.capacity).toEqual({
      totalBytes: 50 * MiB,
      usedBytes: app.sizeBytes,
      freeBytes: 50 * MiB - app.sizeBytes,
    });

    await s3.stop();
    try {
      const failed = await admin.post(`/api/v1/marketplaces/${mk.id}/monitor`);
      expect(failed.status, failed.text).toBe(200);
      expect(failed.json.monitorError).toMatch(/ECONNREFUSED|cannot reach|connect/);
      expect(Date.parse(failed.json.monitoredAt)).toBeGreaterThanOrEqual(Date.parse(measured.monitoredAt));
      // the last capacity stays; the error is shown with it
      expect(failed.json.capacity).toEqual(measured.capacity);
      expect((await n.get(`/api/v1/marketplaces/${mk.id}`)).json.monitorError).toBe(failed.json.monitorError);
    } finally {
      s3 = await startS3({ directory: s3.directory, port: s3.port });
    }
    const back = await admin.post(`/api/v1/marketplaces/${mk.id}/monitor`);
    expect(back.json.monitorError).toBe("");
    expect(back.json.capacity.usedBytes).toBe(app.sizeBytes);
  });

  it("aborts the portal's stale multipart uploads, never another system's under the same prefix", async () => {
    const mk = await create(admin, s3Body("swept", "swept"));
    await db().marketplace.update({ where: { id: mk.id }, data: { monitorDueAt: new Date(Date.now() + 3600_000) } });
    const client = s3Client(s3.endpoint);
    const start = async (Key: string) =>
      (await client.send(new CreateMultipartUploadCommand({ Bucket: "swept", Key }))).UploadId!;
    const foreign = await start(`${mk.config.keyPrefix}-backup.tar`);
    const stale = await start(`${mk.config.keyPrefix}-app-999-aaaaaaaaaaaa`);
    expect(await s3.uploadsOnDisk("swept")).toEqual([foreign, stale].sort());
    const monitored = await admin.post(`/api/v1/marketplaces/${mk.id}/monitor`);
    expect(monitored.status, monitored.text).toBe(200);
    expect(monitored.json.monitorError).toBe("");
    expect(await s3.uploadsOnDisk("swept")).toEqual([foreign]);
  });

  it("a marketplace of another zone is seen here but monitored and deleted there", async () => {
    const remote = await db().zone.create({ data: { name: "remote-zone" } });
    const adminsGroup = (await db().group.findFirstOrThrow({ where: { name: "admins" } })).id;
    const row = await db().marketplace.create({
      data: {
        name: "far-away",
        zoneId: remote.id,
        driver: "http",
        config: JSON.stringify({ publicDir: "/srv/far-away", baseUrl: "https://far.example.com/apps" }),
        ownerId: adminId,
        groupId: adminsGroup,
        ownerRights: 6,
        groupRights: 4,
        otherRights: 4,
        monitorDueAt: new Date(Date.now() + 3600_000),
      },
    });
    const seen = await n.get(`/api/v1/marketplaces/${row.id}`);
    expect(seen.json).toMatchObject({ local: false, zone: { id: remote.id, name: "remote-zone" } });
    expect(await names(n, `&zoneId=${remote.id}`)).toEqual(["far-away"]);
    expectProblem(await admin.post(`/api/v1/marketplaces/${row.id}/monitor`), 409);
    expectProblem(await admin.delete(`/api/v1/marketplaces/${row.id}`), 409);
    expect((await admin.get(`/api/v1/marketplaces/${row.id}`)).status).toBe(200);
  });
});

describe("list", () => {
  it("filters, searches, sorts and pages", async () => {
    const all = (await admin.get("/api/v1/marketplaces?perPage=200&sort=name")).json;
    const sorted = [...all.items.map((x: Json) => x.name)].sort();
    expect(all.items.map((x: Json) => x.name)).toEqual(sorted);
    expect(all.total).toBe(all.items.length);
    const desc = (await admin.get("/api/v1/marketplaces?perPage=2&page=2&sort=name&order=desc")).json;
    expect(desc).toMatchObject({ total: all.total, page: 2, perPage: 2 });
    expect(desc.items.map((x: Json) => x.name)).toEqual([...sorted].reverse().slice(2, 4));
    const s3s = (await admin.get("/api/v1/marketplaces?driver=s3&perPage=200")).json.items;
    expect(s3s.length).toBeGreaterThan(0);
    expect(s3s.every((x: Json) => x.driver === "s3")).toBe(true);
    expect(await names(admin, "&q=FILE")).toEqual(["files"]);
    expectProblem(await admin.get("/api/v1/marketplaces?driver=ftp"), 400, ["driver"]);
  });
});

describe("leaks", () => {
  it("no password, token, cookie or stored hash appears in any response or audit event", async () => {
    await expectNoSecretsLeaked();
  });
});
