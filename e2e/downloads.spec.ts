import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, unique } from "./fixtures";

/**
 * Downloads any HTTP client can read, through the production server: qemu-img (which needs the
 * size before it reads, and reads by ranges) opens an app in an http marketplace's folder and
 * through the authenticated download API, and converts it back to the exact bytes.
 */

const MiB = 1024 * 1024;

test.describe("downloads", () => {
  let work: string;
  let files: Server;
  let raw: Buffer;
  let qcow2: Buffer;

  test.beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "bazaar-e2e-downloads-"));
    raw = Buffer.concat([randomBytes(MiB), Buffer.alloc(MiB), randomBytes(MiB)]);
    writeFileSync(path.join(work, "disk.raw"), raw);
    execFileSync("qemu-img", [
      "convert",
      "-f",
      "raw",
      "-O",
      "qcow2",
      path.join(work, "disk.raw"),
      path.join(work, "disk.qcow2"),
    ]);
    qcow2 = readFileSync(path.join(work, "disk.qcow2"));
    files = createServer((_req, res) => res.end(qcow2));
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  });
  test.afterAll(async () => {
    await new Promise((resolve) => files?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  test("qemu-img info and convert read an app over http, from the folder and from the download API", async ({
    admin,
    baseURL,
  }) => {
    test.setTimeout(60_000);
    const ready = async (p: string) =>
      expect.poll(async () => (await (await admin.get(p)).json()).state, { timeout: 30_000 }).toBe("READY");
    const ds = await admin.post("/api/v1/datastores", { data: { name: unique("dl-ds") } });
    expect(ds.status(), await ds.text()).toBe(201);
    const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/disk.qcow2`;
    const image = await admin.post("/api/v1/images", {
      data: { source: "url", url, name: unique("dl-image"), datastoreId: (await ds.json()).id },
    });
    expect(image.status(), await image.text()).toBe(201);
    const imageId = (await image.json()).id;
    await ready(`/api/v1/images/${imageId}`);
    const market = await admin.post("/api/v1/marketplaces", {
      data: { name: unique("dl-market"), driver: "http", config: { publicDir: path.join(work, "market") } },
    });
    expect(market.status(), await market.text()).toBe(201);
    const app = await admin.post("/api/v1/apps", {
      data: { marketplaceId: (await market.json()).id, imageId, name: unique("dl-app ü") },
    });
    expect(app.status(), await app.text()).toBe(201);
    const appId: number = (await app.json()).id;
    await ready(`/api/v1/apps/${appId}`);
    const { source, sha256 } = await (await admin.get(`/api/v1/apps/${appId}`)).json();

    // the folder, as any web server would serve it: length and ETag on HEAD and GET
    for (const method of ["HEAD", "GET"]) {
      const res = await fetch(source, { method });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBe(String(qcow2.length));
      expect(res.headers.get("accept-ranges")).toBe("bytes");
      expect(res.headers.get("etag")).toBe(`"${sha256}"`);
      expect(res.headers.get("x-bazaar-content-length")).toBeNull();
      await res.arrayBuffer();
    }
    const info = JSON.parse(execFileSync("qemu-img", ["info", "--output=json", source], { encoding: "utf8" }));
    expect(info).toMatchObject({ format: "qcow2", "virtual-size": raw.length });
    const fromFolder = path.join(work, "from-folder.raw");
    execFileSync("qemu-img", ["convert", "-O", "raw", source, fromFolder]);
    expect(readFileSync(fromFolder).equals(raw)).toBe(true);

    // the download API, signed in (the session cookie), with its RFC 6266 file name
    const cookie = (await admin.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const download = `${baseURL}/api/v1/apps/${appId}/download`;
    const head = await fetch(download, { method: "HEAD", headers: { cookie } });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(qcow2.length));
    expect(head.headers.get("content-disposition")).toMatch(
      /^attachment; filename="dl-app__[^"]*\.qcow2"; filename\*=UTF-8''dl-app%20%C3%BC/,
    );
    const target = `json:${JSON.stringify({ "file.driver": "http", "file.url": download, "file.cookie": cookie })}`;
    const fromApi = path.join(work, "from-api.raw");
    execFileSync("qemu-img", ["convert", "-O", "raw", target, fromApi]);
    expect(readFileSync(fromApi).equals(raw)).toBe(true);
  });
});
