import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker } from "@/lib/jobs/worker";
import { localZone } from "@/lib/zones/local-zone";
import { ApiClient, createUser, expectProblem, passwordFor, signIn, signInAdmin, type Json } from "../helpers/api";
import { allowLoopbackUrls, randomPayload, serveBytes, waitFor, apiDatastore, convertToQcow2 } from "../support/images";

/** URL imports through the API with a real worker: every failure is clear and leaves no file. */
let admin: ApiClient;
let worker: ReturnType<typeof startWorker>;
let server: Awaited<ReturnType<typeof serveBytes>>;
const work = mkdtempSync(path.join(tmpdir(), "bazaar-img-"));
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

// a qcow2 with some data, and the same gzip-compressed
execFileSync("qemu-img", ["create", "-q", "-f", "raw", path.join(work, "disk.raw"), "8M"]);
writeFileSync(path.join(work, "disk.raw"), randomPayload(1024 * 1024).data, { flag: "r+" });
const qcow2 = convertToQcow2(path.join(work, "disk.raw"), path.join(work, "disk.qcow2"));
const rawDisk = randomPayload(2 * 1024 * 1024);
// a VMDK descriptor (plain text) whose extent is a file of the host: qemu-img would read it
const hostSecret = path.join(work, "host-secret");
writeFileSync(hostSecret, Buffer.alloc(4096, "secret "));
const evilVmdk = Buffer.from(
  `# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType="monolithicFlat"\nRW 8 FLAT "${hostSecret}" 0\n`,
);

beforeAll(async () => {
  allowLoopbackUrls();
  admin = await signInAdmin();
  worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, log: () => {} });
  server = await serveBytes({
    "/disk.qcow2.gz": gzipSync(qcow2),
    "/disk.raw": rawDisk.data,
    "/notes.txt": Buffer.from("this is not a disk image\n".repeat(100)),
    "/gone": { status: 404 },
    "/evil.vmdk": evilVmdk,
  });
});

afterAll(async () => {
  await worker.stop();
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

const datastore = (name: string, extra: Record<string, unknown> = {}) => apiDatastore(admin, name, extra);

async function importUrl(client: ApiClient, body: Record<string, unknown>) {
  const res = await client.post("/api/v1/images", { source: "url", type: "OS", ...body });
  expect(res.status, res.text).toBe(201);
  return settle(client, res.json.id);
}

async function settle(client: ApiClient, id: number) {
  return waitFor(`image ${id} to settle`, async () => {
    const res = await client.get(`/api/v1/images/${id}`);
    return ["READY", "ERROR"].includes(res.json.state) && res.json.job?.state !== "RUNNING" ? (res.json as Json) : null;
  });
}

const filesIn = (dir: string) => readdirSync(dir);

/** The raw bytes of a ranged download (the test client decodes bodies as text). */
async function rangeBytes(id: number, range: string): Promise<Buffer> {
  const { GET } = await import("@/app/api/v1/images/[id]/download/route");
  const req = new Request(`http://localhost/api/v1/images/${id}/download`, {
    headers: { range, cookie: `bazaar_session=${admin.sessionCookie}` },
  });
  const res = await GET(req, { params: Promise.resolve({ id: String(id) }) });
  return Buffer.from(await res.arrayBuffer());
}

describe("URL import", () => {
  it("decompresses a gzip qcow2 and converts it for a raw datastore; the content is equal", async () => {
    const ds = await datastore("raw-only", { requiredFormat: "raw" });
    const img = await importUrl(admin, { url: server.url("/disk.qcow2.gz"), name: "from-gz", datastoreId: ds.id });
    expect(img.state).toBe("READY");
    expect(img.format).toBe("raw");
    expect(img.virtualSizeBytes).toBe(8 * 1024 * 1024);
    const file = path.join(ds.basePath, `img-${img.id}`);
    expect(filesIn(ds.basePath)).toEqual([`img-${img.id}`]);
    execFileSync("qemu-img", ["compare", "-q", "-f", "qcow2", "-F", "raw", path.join(work, "disk.qcow2"), file]);
    expect(img.sha256).toBe(sha256(readFileSync(file)));
    expect(img.job).toMatchObject({ state: "SUCCEEDED" });
  });

  it("verifies an expected checksum and downloads with Range", async () => {
    const ds = await datastore("any-1");
    const img = await importUrl(admin, {
      url: server.url("/disk.raw"),
      name: "checked",
      datastoreId: ds.id,
      expectedSha256: rawDisk.sha256,
      expectedMd5: rawDisk.md5,
    });
    expect(img).toMatchObject({
      state: "READY",
      format: "raw",
      sizeBytes: rawDisk.data.length,
      sha256: rawDisk.sha256,
      md5: rawDisk.md5,
    });

    const whole = await admin.get(`/api/v1/images/${img.id}/download`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    const part = await admin.get(`/api/v1/images/${img.id}/download`, { headers: { range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-199/${rawDisk.data.length}`);
    expect(part.headers.get("content-length")).toBe("100");
    expect(
      createHash("sha256")
        .update(await rangeBytes(img.id, "bytes=100-199"))
        .digest("hex"),
    ).toBe(sha256(rawDisk.data.subarray(100, 200)));
    const bad = await admin.get(`/api/v1/images/${img.id}/download`, {
      headers: { range: `bytes=${rawDisk.data.length}-` },
    });
    expect(bad.status).toBe(416);
  });

  it("answers 502 when the datastore has lost an image's bytes; only an admin reads the system's words", async () => {
    const ds = await datastore("lost-bytes");
    const img = await importUrl(admin, { url: server.url("/disk.raw"), name: "lost", datastoreId: ds.id });
    expect(img.state).toBe("READY");
    expect((await admin.post(`/api/v1/images/${img.id}/chmod`, { permissions: "664" })).status).toBe(204);
    rmSync(path.join(ds.basePath, `img-${img.id}`));

    const asAdmin = await admin.get(`/api/v1/images/${img.id}/download`);
    expectProblem(asAdmin, 502);
    expect(asAdmin.json.code).toBe("BACKEND_FAILED");
    expect(asAdmin.json.detail).toMatch(
      /^Datastore lost-bytes could not serve image lost: the file or folder \/.*img-\d+ does not exist$/,
    );
    await createUser(admin, "dora");
    const dora = await signIn("dora", passwordFor("dora"));
    const asUser = await dora.get(`/api/v1/images/${img.id}/download`);
    expectProblem(asUser, 502);
    // the datastore is not hers to see (named by id), and no path of the host reaches her
    expect(asUser.json.detail).toBe(`Datastore #${ds.id} could not serve image lost`);
  });

  it("ends in ERROR with both values on a wrong checksum, leaving no file", async () => {
    const ds = await datastore("any-2");
    const wrong = "0".repeat(64);
    const img = await importUrl(admin, {
      url: server.url("/disk.raw"),
      name: "wrong-sum",
      datastoreId: ds.id,
      expectedSha256: wrong,
    });
    expect(img.state).toBe("ERROR");
    expect(img.error).toBe(`sha256 mismatch: expected ${wrong}, got ${rawDisk.sha256}`);
    expect(filesIn(ds.basePath)).toEqual([]);
    expectProblem(await admin.get(`/api/v1/images/${img.id}/download`), 409);
  });

  it("reports an unreachable URL", async () => {
    const ds = await datastore("any-3");
    const img = await importUrl(admin, { url: server.url("/gone"), name: "gone", datastoreId: ds.id });
    expect(img.state).toBe("ERROR");
    expect(img.error).toContain("HTTP 404");
    expect(filesIn(ds.basePath)).toEqual([]);
  }, 30_000);

  it("refuses what does not fit the datastore's limit", async () => {
    const ds = await datastore("tiny", { limitMb: 1 });
    const img = await importUrl(admin, { url: server.url("/disk.raw"), name: "too-big", datastoreId: ds.id });
    expect(img.state).toBe("ERROR");
    expect(img.error).toMatch(/^not enough space in datastore tiny: need 2\.0 MiB, free 1\.0 MiB$/);
    expect(filesIn(ds.basePath)).toEqual([]);
  });

  it("refuses a non-image file where the datastore requires a disk format", async () => {
    const ds = await datastore("qcow2-only", { requiredFormat: "qcow2" });
    const img = await importUrl(admin, { url: server.url("/notes.txt"), name: "notes", datastoreId: ds.id });
    expect(img.state).toBe("ERROR");
    expect(img.error).toMatch(/not a disk image/);
    expect(img.error).toContain("requires qcow2");
    expect(filesIn(ds.basePath)).toEqual([]);
  });

  it("refuses a VMDK that points at another file of the host, whatever the datastore requires", async () => {
    for (const requiredFormat of ["raw", "any"]) {
      const ds = await datastore(`vmdk-${requiredFormat}`, { requiredFormat });
      const img = await importUrl(admin, {
        url: server.url("/evil.vmdk"),
        name: `evil-${requiredFormat}`,
        datastoreId: ds.id,
      });
      expect(img.state).toBe("ERROR");
      expect(img.error).toMatch(/^VMDK images of type "monolithicFlat" are refused/);
      expect(filesIn(ds.basePath)).toEqual([]);
    }
  });

  it("checks the converted size against the limit: a small qcow2 may stand for a large raw disk", async () => {
    const ds = await datastore("raw-small", { requiredFormat: "raw", limitMb: 4 });
    const img = await importUrl(admin, { url: server.url("/disk.qcow2.gz"), name: "too-big-raw", datastoreId: ds.id });
    expect(img.state).toBe("ERROR");
    expect(img.error).toBe("not enough space in datastore raw-small: need 8.0 MiB, free 4.0 MiB");
    expect(filesIn(ds.basePath)).toEqual([]);
  });

  it("refuses private and loopback addresses unless allowed, and non-http schemes", async () => {
    const ds = await datastore("any-4");
    expectProblem(
      await admin.post("/api/v1/images", { source: "url", url: "file:///etc/passwd", name: "f", datastoreId: ds.id }),
      400,
      ["url"],
    );
    expectProblem(
      await admin.post("/api/v1/images", {
        source: "url",
        url: "http://169.254.169.254/latest",
        name: "meta",
        datastoreId: ds.id,
      }),
      400,
      ["url"],
    );
    expectProblem(
      await admin.post("/api/v1/images", { source: "url", url: "http://10.1.2.3/x", name: "lan", datastoreId: ds.id }),
      400,
      ["url"],
    );
  });
});

describe("names and paths", () => {
  it("keeps user-chosen names out of file paths; bad names are refused", async () => {
    const ds = await datastore("paths");
    const img = await importUrl(admin, { url: server.url("/disk.raw"), name: "..", datastoreId: ds.id });
    expect(img.state).toBe("READY");
    expect(filesIn(ds.basePath)).toEqual([`img-${img.id}`]);
    expectProblem(
      await admin.post("/api/v1/images", {
        source: "url",
        url: server.url("/disk.raw"),
        name: "../../etc/x",
        datastoreId: ds.id,
      }),
      400,
      ["name"],
    );
    expectProblem(await admin.post("/api/v1/datastores", { name: "evil", basePath: "/srv/../etc" }), 400, ["basePath"]);
    expectProblem(await admin.post("/api/v1/datastores", { name: "root", basePath: "/" }), 400, ["basePath"]);
  });
});

describe("datastores and images: permissions", () => {
  it("hides what a user may not use, and forbids what they may not do", async () => {
    const ds = await datastore("private-ds");
    const carol = await createUser(admin, "carol");
    const c = await signIn("carol", carol.password);
    expectProblem(await c.get(`/api/v1/datastores/${ds.id}`), 404);
    expect((await c.get("/api/v1/datastores")).json.items.map((d: Json) => d.name)).not.toContain("private-ds");
    expectProblem(
      await c.post("/api/v1/images", { source: "url", url: server.url("/disk.raw"), name: "x", datastoreId: ds.id }),
      404,
    );
    expectProblem(await c.post("/api/v1/datastores", { name: "mine" }), 403);
    expectProblem(await c.post("/api/v1/datastores", { name: "mine", basePath: "/tmp/x" }), 403);

    // other USE lets everyone see and import into it, but not manage it
    expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "604" })).status).toBe(204);
    expect((await c.get(`/api/v1/datastores/${ds.id}`)).json.permissions.text).toBe("um- --- u--");
    expectProblem(await c.patch(`/api/v1/datastores/${ds.id}`, { description: "mine now" }), 403);
    expectProblem(await c.post(`/api/v1/datastores/${ds.id}/chmod`, { permissions: "666" }), 403);
    const img = await importUrl(c, { url: server.url("/disk.raw"), name: "carols", datastoreId: ds.id });
    expect(img).toMatchObject({ state: "READY", owner: { name: "carol" }, permissions: { octal: "600" } });
    expectProblem(await admin.delete(`/api/v1/datastores/${ds.id}`), 409);

    // chown: only admins give objects away; the image owner may not chmod ADMIN bits
    expectProblem(await c.post(`/api/v1/images/${img.id}/chown`, { ownerId: 1 }), 403);
    expectProblem(await c.post(`/api/v1/images/${img.id}/chmod`, { permissions: "700" }), 403);
    expect((await c.post(`/api/v1/images/${img.id}/chmod`, { permissions: "640" })).status).toBe(204);
    expect((await admin.post(`/api/v1/images/${img.id}/chown`, { ownerId: 1 })).status).toBe(204);
    // still visible to carol through the group bit (640, group users), but no longer hers to delete
    expect((await c.get(`/api/v1/images/${img.id}`)).json.owner.name).toBe("admin");
    expectProblem(await c.delete(`/api/v1/images/${img.id}`), 403);
    expect((await admin.post(`/api/v1/images/${img.id}/chmod`, { permissions: "600" })).status).toBe(204);
    expectProblem(await c.get(`/api/v1/images/${img.id}`), 404);
    expect((await admin.delete(`/api/v1/images/${img.id}`)).status).toBe(204);
    expect(filesIn(ds.basePath)).toEqual([]);
  });

  it("moves READY ⇄ DISABLED and refuses it from other states", async () => {
    const ds = await datastore("toggle");
    const img = await importUrl(admin, { url: server.url("/disk.raw"), name: "toggle", datastoreId: ds.id });
    expect((await admin.patch(`/api/v1/images/${img.id}`, { enabled: false })).json.state).toBe("DISABLED");
    expectProblem(await admin.get(`/api/v1/images/${img.id}/download`), 409);
    expect((await admin.patch(`/api/v1/images/${img.id}`, { enabled: true })).json.state).toBe("READY");
    const failed = await importUrl(admin, { url: server.url("/gone"), name: "failed", datastoreId: ds.id });
    expectProblem(await admin.patch(`/api/v1/images/${failed.id}`, { enabled: false }), 409);
  }, 30_000);
});
