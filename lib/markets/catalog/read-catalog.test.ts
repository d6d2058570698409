import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig, setConfigForTests } from "@/lib/config";
import { fetchJson, readOneCatalog, readSimplestreams } from "./read-catalog";

// The catalogs read over HTTP from a local server holding the parsers' fixtures: the request
// a public server sees (path, User-Agent), redirects, limits and the reasons of failures.

const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name));
const seen: { url: string; userAgent: string }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  setConfigForTests({ ...getConfig(), urlAllow: ["127.0.0.0/8"] });
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", userAgent: req.headers["user-agent"] ?? "" });
    const send = (status: number, body: string | Buffer, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    switch (req.url) {
      case "/one/appliance":
        return send(200, fixture("one-appliances.json"));
      case "/elsewhere/appliance":
        // the same server under another origin: not the endpoint, so held to the URL policy
        res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/one/appliance` });
        return res.end();
      case "/moved/appliance":
        res.writeHead(302, { location: "/one/appliance" });
        return res.end();
      case "/lxc/streams/v1/index.json":
        return send(200, fixture("streams-index.json"));
      case "/lxc/streams/v1/images.json":
        return send(200, fixture("streams-images.json"));
      case "/html/appliance":
        return send(200, "<html>maintenance</html>", "text/html");
      case "/huge/appliance":
        return send(200, Buffer.alloc(2048, 0x20));
      default:
        return send(404, "{}");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("readOneCatalog", () => {
  it("asks <endpoint>/appliance as the OpenNebula version of the marketplace, and reads the answer", async () => {
    seen.length = 0;
    const parsed = await readOneCatalog(`${base}/one/`, { version: "7.4" });
    expect(seen).toEqual([{ url: "/one/appliance", userAgent: "OpenNebula 7.4 (Market Driver)" }]);
    expect(parsed.entries.length).toBeGreaterThan(3);
    // the download SOURCE is built on the endpoint the marketplace names
    expect(parsed.entries.find((e) => e.type === "IMAGE")?.file?.url).toMatch(
      new RegExp(`^${base}/one/appliance/[^/]+/download/0$`),
    );
  });

  it("follows a redirect through the URL policy", async () => {
    const parsed = await readOneCatalog(`${base}/moved`, { version: "6.10" });
    expect(parsed.entries.length).toBeGreaterThan(3);
  });

  it("says which URL failed and why: HTTP status, not JSON, not a catalog, unreachable, refused elsewhere", async () => {
    await expect(readOneCatalog(`${base}/nothing`, { version: "7.4" })).rejects.toThrow(
      `cannot reach ${base}/nothing/appliance: the server answered HTTP 404`,
    );
    await expect(readOneCatalog(`${base}/html`, { version: "7.4" })).rejects.toThrow(
      `${base}/html/appliance did not answer JSON`,
    );
    await expect(readOneCatalog(`${base}/lxc/streams/v1`, { version: "7.4" })).rejects.toThrow(/appliance/);
    await expect(readOneCatalog("http://127.0.0.1:1", { version: "7.4", timeoutMs: 2000 })).rejects.toThrow(
      /^cannot reach http:\/\/127\.0\.0\.1:1\/appliance: /,
    );
    setConfigForTests({ ...getConfig(), urlAllow: [] });
    try {
      // the endpoint an admin chose is trusted (a mirror on a private network); a hop elsewhere is not
      await expect(readOneCatalog(`${base}/one`, { version: "7.4" })).resolves.toMatchObject({
        entries: expect.any(Array),
      });
      await expect(readOneCatalog(`${base}/elsewhere`, { version: "7.4" })).rejects.toThrow(
        /^cannot reach .*loopback/i,
      );
    } finally {
      setConfigForTests({ ...getConfig(), urlAllow: ["127.0.0.0/8"] });
    }
  });

  it("refuses an answer larger than a catalog may be, declared or streamed", async () => {
    await expect(fetchJson(`${base}/huge/appliance`, { userAgent: "t", maxBytes: 1024 })).rejects.toThrow(
      /more than a catalog may have/,
    );
  });
});

describe("readSimplestreams", () => {
  it("reads the index, then the product list it names, and keeps the VM disks of the chosen architectures", async () => {
    seen.length = 0;
    const parsed = await readSimplestreams(`${base}/lxc/`, { architectures: ["amd64"], variant: "default" });
    expect(seen.map((s) => s.url)).toEqual(["/lxc/streams/v1/index.json", "/lxc/streams/v1/images.json"]);
    expect(parsed.entries.length).toBeGreaterThan(0);
    expect(parsed.entries.every((e) => e.architecture === "x86_64" && e.format === "qcow2")).toBe(true);
    expect(parsed.entries.every((e) => e.file?.url.startsWith(`${base}/lxc/`))).toBe(true);
  });

  it("fails with the index's URL when there is no stream", async () => {
    await expect(readSimplestreams(`${base}/none`, { architectures: ["amd64"], variant: "default" })).rejects.toThrow(
      `cannot reach ${base}/none/streams/v1/index.json`,
    );
  });
});
