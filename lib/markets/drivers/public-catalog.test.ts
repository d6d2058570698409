import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig, setConfigForTests } from "@/lib/config";
import { LinuxContainersMarketDriver, OneMarketDriver } from "./public-catalog";

// A public catalog's driver reads files under its endpoint and nowhere else: the endpoint's
// origin is trusted, every other hop is held to the URL policy, and it writes nothing.

const FILE = Buffer.from("0123456789abcdef");
let server: http.Server;
let base: string;

beforeAll(async () => {
  setConfigForTests({ ...getConfig(), urlAllow: [] });
  server = http.createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    if (req.url === "/cat/appliance/abc/download/0") {
      res.writeHead(302, { location: "/cat/files/abc.img" });
      return res.end();
    }
    if (req.url === "/cat/appliance/away/download/0") {
      // the same server under another origin: not the endpoint
      res.writeHead(302, { location: `http://localhost:${port}/cat/files/abc.img` });
      return res.end();
    }
    if (req.url === "/cat/files/abc.img") {
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
      if (range) {
        // a range past the end is cut to the file, as servers do
        const [start, end] = [Number(range[1]), Math.min(Number(range[2]), FILE.length - 1)];
        res.writeHead(206, { "content-length": end - start + 1, "content-range": `bytes ${start}-${end}/16` });
        return res.end(FILE.subarray(start, end + 1));
      }
      res.writeHead(200, { "content-length": FILE.length });
      return res.end(FILE);
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cat`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

describe("public catalog drivers", () => {
  it("key a file by its path under the endpoint, and nothing else", () => {
    const d = new OneMarketDriver({ endpoint: base, version: "7.4" });
    expect(d.catalogKeyOf(`${base}/appliance/abc/download/0`)).toBe("appliance/abc/download/0");
    expect(d.catalogKeyOf("http://elsewhere.example/appliance/abc/download/0")).toBeNull();
    expect(d.catalogKeyOf(`${base}/a/../../etc/passwd`)).toBeNull();
    expect(d.catalogKeyOf(`${base}/a/%2E%2e/x`)).toBeNull();
    expect(d.catalogKeyOf(`${base}//x`)).toBeNull();
    expect(d.catalogKeyOf(`${base}/x?y=1`)).toBeNull();
    // a first segment that looks like a scheme is still a path under the endpoint
    expect(d.catalogKeyOf(`${base}/20241201_07:42/disk.img`)).toBe("20241201_07:42/disk.img");
    expect(d.sourceOf("20241201_07:42/disk.img")).toBe(`${base}/20241201_07:42/disk.img`);
    expect(d.sourceOf("appliance/abc/download/0")).toBe(`${base}/appliance/abc/download/0`);
    for (const bad of ["../x", "/etc/passwd", "a/./b", "a/%2e%2e/b", "http://x/y", "", "a\\b"])
      expect(() => d.sourceOf(bad), bad).toThrow(/Refused catalog path/);
  });

  it("read a file through the endpoint's redirect, whole or a range, although the endpoint is loopback", async () => {
    const d = new OneMarketDriver({ endpoint: base, version: "7.4" });
    expect(await text(await d.openRead("appliance/abc/download/0"))).toBe(FILE.toString());
    expect(await text(await d.openRead("appliance/abc/download/0", { start: 2, end: 5 }))).toBe("2345");
    expect(await d.stat("appliance/abc/download/0")).toMatchObject({ size: 16 });
    expect(await d.stat("appliance/gone/download/0")).toBeNull();
  });

  it("hold a redirect to any other origin to the URL policy, and the endpoint too to BAZAAR_URL_DENY", async () => {
    const d = new OneMarketDriver({ endpoint: base, version: "7.4" });
    await expect(d.openRead("appliance/away/download/0")).rejects.toThrow(/loopback/);
    setConfigForTests({ ...getConfig(), urlDeny: ["127.0.0.0/8"] });
    try {
      await expect(d.openRead("appliance/abc/download/0")).rejects.toThrow(/denied by BAZAAR_URL_DENY/);
    } finally {
      setConfigForTests({ ...getConfig(), urlDeny: [] });
    }
  });

  it("refuse a 206 that is not the range asked", async () => {
    const d = new OneMarketDriver({ endpoint: base, version: "7.4" });
    await expect(d.openRead("appliance/abc/download/0", { start: 2, end: 40 })).rejects.toThrow(/answered the bytes/);
  });

  it("write and delete nothing, and declare so", async () => {
    const d = new LinuxContainersMarketDriver({ endpoint: base, architectures: ["amd64"], variant: "default" });
    await expect(d.beginWrite()).rejects.toThrow(/public catalog/);
    await expect(d.delete()).rejects.toThrow(/public catalog/);
    expect(await d.list()).toEqual([]);
    expect(LinuxContainersMarketDriver.capabilities).toMatchObject({ create: false, delete: false, read: true });
    expect("capacity" in d).toBe(false);
  });

  it("fail the check on the endpoint attribute with the reason", async () => {
    const d = new OneMarketDriver({ endpoint: `${base}/nothing`, version: "7.4" });
    await expect(d.check()).rejects.toMatchObject({ attribute: "endpoint", message: /cannot reach .*HTTP 404/ });
  });
});
