import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getConfig, setConfigForTests } from "@/lib/config";
import { httpMarketConfig, type MarketOrigin } from "./config";
import { runMarketDriverConformance } from "./conformance";
import { HttpMarketDriver } from "./http";
import { MARKET_DRIVER_CAPABILITIES, buildMarketDriver } from "./registry";
import { MarketConfigError } from "./types";

const BASE_URL = "http://127.0.0.1:1/market/7";

runMarketDriverConformance(
  "http",
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "bazaar-market-http-"));
    const publicDir = path.join(dir, "public");
    return {
      driver: new HttpMarketDriver({ publicDir, baseUrl: BASE_URL }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
      leftovers: async () => (await readdir(publicDir).catch(() => [])).filter((n) => n.startsWith(".")),
    };
  },
  { capabilities: HttpMarketDriver.capabilities },
);

const readAll = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

const writeKey = async (driver: HttpMarketDriver, key: string, data: string) => {
  const handle = await driver.beginWrite(key);
  await pipeline(Readable.from([Buffer.from(data)]), handle.stream);
  return handle.commit();
};

describe("http market driver specifics", () => {
  let dir: string;
  let publicDir: string;
  let driver: HttpMarketDriver;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bazaar-market-http-"));
    publicDir = path.join(dir, "public");
    driver = new HttpMarketDriver({ publicDir, baseUrl: BASE_URL });
    await driver.check();
  });
  afterEach(async () => {
    await chmod(dir, 0o700).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it("serves apps at <baseUrl>/<key>", () => {
    expect(driver.sourceOf("app-1-abc")).toBe(`${BASE_URL}/app-1-abc`);
  });

  it("writes through a hidden .<key>.<random>.part file that the sweep removes unless kept", async () => {
    const handle = await driver.beginWrite("app-2");
    handle.stream.write(Buffer.from("half"));
    // what an earlier version left: `.<key>.part`
    await writeFile(path.join(publicDir, ".app-2.part"), "older");
    const files = await readdir(publicDir);
    expect(files).toHaveLength(2);
    expect(files).toContain(".app-2.part");
    expect(files.find((f) => f !== ".app-2.part")).toMatch(/^\.app-2\.[0-9a-f]{12}\.part$/);
    expect(await driver.list()).toEqual([]);
    expect(await driver.abortStaleUploads((key) => key === "app-2")).toBe(0);
    expect(await driver.abortStaleUploads(() => false)).toBe(2);
    expect(await readdir(publicDir)).toEqual([]);
    await handle.abort();
  });

  it("commits by renaming into place", async () => {
    expect(await writeKey(driver, "app-3", "hello")).toEqual({ size: 5 });
    expect(await readdir(publicDir)).toEqual(["app-3"]);
    expect(await readFile(path.join(publicDir, "app-3"), "utf8")).toBe("hello");
  });

  it("ignores dotfiles and directories the web server may keep there", async () => {
    await writeFile(path.join(publicDir, ".htaccess"), "deny");
    await mkdir(path.join(publicDir, "sub"));
    await writeKey(driver, "app-4", "x");
    expect(await driver.list()).toEqual([{ key: "app-4", size: 1 }]);
  });

  it("gives a strong etag that changes with the content", async () => {
    await writeKey(driver, "app-5", "one");
    const first = (await driver.stat("app-5"))!.etag;
    expect(first).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    await new Promise((r) => setTimeout(r, 5));
    await writeKey(driver, "app-5", "three");
    expect((await driver.stat("app-5"))!.etag).not.toBe(first);
  });

  it("neither follows nor lists a symlink planted under an app's name", async () => {
    const outside = path.join(dir, "secret.txt");
    await writeFile(outside, "keep me");
    await symlink(outside, path.join(publicDir, "app-6"));
    expect(await driver.stat("app-6")).toBeNull();
    await expect(driver.openRead("app-6")).rejects.toThrow();
    expect(await driver.list()).toEqual([]);
    // a commit replaces the link itself; the file it pointed to is untouched
    await writeKey(driver, "app-6", "new bytes");
    expect(await readFile(outside, "utf8")).toBe("keep me");
    expect(await readFile(path.join(publicDir, "app-6"), "utf8")).toBe("new bytes");
  });

  it("gives every write of a key a file of its own: a stale writer never commits another's bytes", async () => {
    const stale = await driver.beginWrite("app-7");
    const current = await driver.beginWrite("app-7");
    stale.stream.end(Buffer.from("stale"));
    current.stream.end(Buffer.from("current bytes"));
    expect(await current.commit()).toEqual({ size: 13 });
    await stale.abort();
    expect(await readFile(path.join(publicDir, "app-7"), "utf8")).toBe("current bytes");
    expect(await readdir(publicDir)).toEqual(["app-7"]);
  });

  it("replaces a symlink planted under the final name instead of writing through it", async () => {
    const outside = path.join(dir, "secret.txt");
    await writeFile(outside, "keep me");
    await symlink(outside, path.join(publicDir, "app-8"));
    await writeKey(driver, "app-8", "app bytes");
    expect(await readFile(outside, "utf8")).toBe("keep me");
    expect(await readFile(path.join(publicDir, "app-8"), "utf8")).toBe("app bytes");
  });

  it("measures the file system that holds publicDir", async () => {
    const c = await driver.capacity();
    expect(c.usedBytes).toBe(c.totalBytes - c.freeBytes);
  });

  describe("check()", () => {
    const configError = async (d: HttpMarketDriver) => {
      const err = await d.check().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MarketConfigError);
      expect((err as MarketConfigError).attribute).toBe("publicDir");
      return (err as MarketConfigError).message;
    };
    const at = (p: string) => new HttpMarketDriver({ publicDir: p, baseUrl: BASE_URL });

    it("creates a missing directory with its parents", async () => {
      const deep = path.join(dir, "a", "b", "c");
      await at(deep).check();
      expect(await readdir(deep)).toEqual([]);
    });

    it("names publicDir for a relative path", async () => {
      expect(await configError(at("relative/dir"))).toMatch(/absolute/);
    });

    it("names publicDir for a file", async () => {
      const file = path.join(dir, "file");
      await writeFile(file, "");
      expect(await configError(at(file))).toMatch(/not a directory/);
    });

    it("names publicDir when a parent is a file", async () => {
      const file = path.join(dir, "file");
      await writeFile(file, "");
      expect(await configError(at(path.join(file, "sub")))).toMatch(/cannot be created: a parent is not a directory/);
    });

    it("names publicDir for a directory it cannot write", async () => {
      // root writes anywhere chmod allows nothing; sysfs refuses new files even to root
      let target = "/sys";
      if (process.getuid?.() !== 0) {
        target = path.join(dir, "readonly");
        await mkdir(target);
        await chmod(target, 0o555);
      }
      expect(await configError(at(target))).toMatch(/is not writable: permission denied/);
    });
  });

  describe("reading from another instance of a federation", () => {
    let server: http.Server;
    let served: string;
    let requests: { url?: string; range?: string }[];
    const content = Buffer.from("0123456789abcdefghij");

    beforeEach(async () => {
      requests = [];
      served = await mkdtemp(path.join(tmpdir(), "bazaar-market-served-"));
      await writeFile(path.join(served, "app-8"), content);
      // a minimal static file server with byte ranges, like the one in front of the other instance
      server = http.createServer(async (req, res) => {
        requests.push({ url: req.url, range: req.headers.range });
        const name = req.url!.split("/").pop()!;
        const data = await readFile(path.join(served, name)).catch(() => null);
        if (!data) return res.writeHead(404).end();
        const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
        if (!m) return res.writeHead(200, { "content-length": data.length }).end(data);
        const [start, end] = [Number(m[1]), Number(m[2])];
        res
          .writeHead(206, { "content-range": `bytes ${start}-${end}/${data.length}` })
          .end(data.subarray(start, end + 1));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterEach(async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(served, { recursive: true, force: true });
    });

    const remote = () =>
      new HttpMarketDriver({
        publicDir: path.join(dir, "not-on-this-machine"),
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/market/7`,
      });

    it("reads the whole app and byte ranges over HTTP when publicDir is not here", async () => {
      expect((await readAll(await remote().openRead("app-8"))).equals(content)).toBe(true);
      expect((await readAll(await remote().openRead("app-8", { start: 3, end: 6 }))).toString()).toBe("3456");
      expect(requests).toEqual([
        { url: "/market/7/app-8", range: undefined },
        { url: "/market/7/app-8", range: "bytes=3-6" },
      ]);
    });

    it("fails on a missing app", async () => {
      await expect(remote().openRead("app-9")).rejects.toThrow(/404/);
    });
  });
});

describe("http markets from the registry", () => {
  const original = getConfig();
  afterEach(() => setConfigForTests(original));
  const spec = (baseUrl: string, origin?: MarketOrigin) =>
    ({
      id: 7,
      driver: "http",
      config: httpMarketConfig.parse({ publicDir: "/srv/market", baseUrl }),
      secrets: {},
      origin,
    }) as const;
  const zoneA = { zone: "zone-a", endpoint: "https://a.example", foreign: true };

  it("serves an app at the configured base URL", () => {
    expect(buildMarketDriver(spec("https://cdn.example/apps/")).sourceOf("app-1")).toBe(
      "https://cdn.example/apps/app-1",
    );
    expect(buildMarketDriver(spec("https://cdn.example/apps", zoneA)).sourceOf("app-1")).toBe(
      "https://cdn.example/apps/app-1",
    );
  });

  it("serves an app from its own zone's portal when no base URL is set, never from the process's", () => {
    // the process that builds the driver is elsewhere, and listens on a port of its own
    setConfigForTests({ ...original, publicUrl: "https://b.example", port: 3100 });
    expect(buildMarketDriver(spec("", zoneA)).sourceOf("app-1")).toBe("https://a.example/market/7/app-1");
    expect(buildMarketDriver(spec("", { ...zoneA, foreign: false })).sourceOf("app-1")).toBe(
      "https://a.example/market/7/app-1",
    );
    // a zone that does not know its endpoint yet: a path of its portal, no guessed host
    expect(buildMarketDriver(spec("", { ...zoneA, endpoint: null })).sourceOf("app-1")).toBe("/market/7/app-1");
    expect(buildMarketDriver(spec("")).sourceOf("app-1")).toBe("/market/7/app-1");
  });

  it("tells what a driver can do without building one", () => {
    expect(MARKET_DRIVER_CAPABILITIES.http).toBe(HttpMarketDriver.capabilities);
    expect(MARKET_DRIVER_CAPABILITIES.http.monitor).toBe(typeof buildMarketDriver(spec("")).capacity === "function");
  });
});
