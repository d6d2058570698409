import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOriginZone, type OriginZone } from "@/tests/support/origin-zone";
import { httpMarketConfig, type MarketOrigin } from "./config";
import { HttpMarketDriver, type RemoteReads } from "./http";
import { buildMarketDriver } from "./registry";
import { MarketConfigError } from "./types";

/**
 * An http marketplace whose folder is on another host, read through the driver from where it
 * is served: a loopback server stands in for the other zone's portal.
 */

const readAll = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/** Settles within `ms`, or fails saying it hangs. */
const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)),
  ]);

const waitUntil = async (what: string, probe: () => boolean, ms = 2000) => {
  const until = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const app = randomBytes(300_000);
let zone: OriginZone;
let dir: string;

beforeAll(async () => {
  zone = await startOriginZone();
  zone.put("app-1-aaaaaaaaaaaa", app);
  zone.put("app-2-empty", Buffer.alloc(0));
});
afterAll(() => zone.close());
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "bazaar-market-remote-"));
  zone.requests.length = 0;
  zone.health = "ok";
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A marketplace 7 whose folder would be `folder` (not on this host unless created). */
const driverAt = (
  opts: {
    folder?: string;
    remote?: RemoteReads;
    baseUrl?: string;
    timeouts?: { answerMs?: number; idleMs?: number };
  } = {},
) =>
  new HttpMarketDriver({
    publicDir: opts.folder ?? path.join(dir, "not-on-this-host"),
    baseUrl: opts.baseUrl ?? zone.marketUrl(7),
    remote: opts.remote,
    timeouts: opts.timeouts,
  });

describe("an http marketplace whose folder is not on this host", () => {
  it("stats an app through a one-byte range: the size comes from Content-Range, not Content-Length", async () => {
    const info = await driverAt().stat("app-1-aaaaaaaaaaaa");
    expect(info).toEqual({ size: app.length, etag: `"${app.length}-etag"`, lastModified: new Date(0) });
    expect(zone.requests).toEqual([{ method: "GET", path: "/market/7/app-1-aaaaaaaaaaaa", range: "bytes=0-0" }]);
    // an empty app has no first byte: its 416 says the size
    expect((await driverAt().stat("app-2-empty"))?.size).toBe(0);
  });

  it("stats an app the other zone does not have as missing, and a failing zone as an error", async () => {
    expect(await driverAt().stat("app-9-missing")).toBeNull();
    zone.misbehave("app-3-broken", { kind: "status", status: 500 });
    await expect(driverAt().stat("app-3-broken")).rejects.toThrow(`${zone.marketUrl(7)}/app-3-broken answered 500`);
    zone.misbehave("app-3-broken", null);
  });

  it("reads the whole app and byte ranges, each range checked", async () => {
    expect((await readAll(await driverAt().openRead("app-1-aaaaaaaaaaaa"))).equals(app)).toBe(true);
    const part = await readAll(await driverAt().openRead("app-1-aaaaaaaaaaaa", { start: 65536, end: 131071 }));
    expect(part.equals(app.subarray(65536, 131072))).toBe(true);
    const tail = await readAll(
      await driverAt().openRead("app-1-aaaaaaaaaaaa", { start: app.length - 10, end: app.length - 1 }),
    );
    expect(tail.equals(app.subarray(app.length - 10))).toBe(true);
    expect(zone.requests.map((r) => r.range)).toEqual([
      undefined,
      "bytes=65536-131071",
      `bytes=${app.length - 10}-${app.length - 1}`,
    ]);
  });

  it("refuses an answer that is not the range asked", async () => {
    zone.misbehave("app-1-aaaaaaaaaaaa", { kind: "ignore-range" });
    await expect(driverAt().openRead("app-1-aaaaaaaaaaaa", { start: 5, end: 9 })).rejects.toThrow(
      /ignored the byte range/,
    );
    zone.misbehave("app-1-aaaaaaaaaaaa", { kind: "other-range" });
    await expect(driverAt().openRead("app-1-aaaaaaaaaaaa", { start: 5, end: 9 })).rejects.toThrow(
      `answered bytes 0-0/${app.length} for bytes 5-9`,
    );
    zone.misbehave("app-1-aaaaaaaaaaaa", null);
    await expect(driverAt().openRead("app-9-missing")).rejects.toThrow(/app-9-missing answered 404/);
  });

  it("fails a body that ends before the length it announced", async () => {
    zone.misbehave("app-1-aaaaaaaaaaaa", { kind: "cut" });
    try {
      const stream = await driverAt().openRead("app-1-aaaaaaaaaaaa");
      await expect(readAll(stream)).rejects.toThrow(/broke off|ended after \d+ of the 300000 bytes/);
    } finally {
      zone.misbehave("app-1-aaaaaaaaaaaa", null);
    }
  });

  it("gives up on a zone that does not answer, and on a body that stops, within its time limits", async () => {
    zone.misbehave("app-4-silent", { kind: "silent" });
    zone.misbehave("app-5-stalls", { kind: "stall", bytes: 1000 });
    zone.put("app-5-stalls", app);
    const quick = driverAt({ timeouts: { answerMs: 200, idleMs: 200 } });
    await expect(within(3000, quick.stat("app-4-silent"))).rejects.toThrow(/app-4-silent did not answer within 0.2 s/);
    await expect(within(3000, quick.openRead("app-4-silent"))).rejects.toThrow(/did not answer within 0.2 s/);
    const stalled = await quick.openRead("app-5-stalls", { start: 0, end: app.length - 1 });
    await expect(within(3000, readAll(stalled))).rejects.toThrow(/app-5-stalls sent nothing for 0.2 s/);
    // what was given up leaves no connection behind
    await waitUntil("the connections to close", () => zone.pendingAnswers() === 0);
  });

  it("is aborted by the caller's signal, before and during the answer, and closes the connection", async () => {
    zone.misbehave("app-4-silent", { kind: "silent" });
    zone.misbehave("app-5-stalls", { kind: "stall", bytes: 1000 });
    zone.put("app-5-stalls", app);
    const aborted = new AbortController();
    setTimeout(() => aborted.abort(new Error("the job was cancelled")), 50);
    await expect(
      within(2000, driverAt().openRead("app-4-silent", undefined, { signal: aborted.signal })),
    ).rejects.toThrow("the job was cancelled");
    const reading = new AbortController();
    const stream = await driverAt().openRead("app-5-stalls", undefined, { signal: reading.signal });
    const read = readAll(stream);
    setTimeout(() => reading.abort(new Error("the download was dropped")), 50);
    await expect(within(2000, read)).rejects.toThrow("the download was dropped");
    await waitUntil("the connections to close", () => zone.pendingAnswers() === 0);
  });

  it("says what to set when it knows no URL to read from", async () => {
    const err = await driverAt({ baseUrl: "/market/7" })
      .stat("app-1-aaaaaaaaaaaa")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MarketConfigError);
    expect((err as Error).message).toMatch(/is not on this host.*BASE_URL.*BAZAAR_PUBLIC_URL/);
    expect(zone.requests).toEqual([]);
  });
});

describe("which apps are read from another host", () => {
  const spec = (origin?: MarketOrigin, folder = path.join(dir, "not-on-this-host")) =>
    ({
      id: 7,
      driver: "http",
      config: httpMarketConfig.parse({ publicDir: folder, baseUrl: zone.marketUrl(7) }),
      secrets: {},
      origin,
    }) as const;
  const zoneA = (foreign: boolean): MarketOrigin => ({ zone: "zone-a", endpoint: null, foreign });

  it("another zone's marketplace: any app its folder here lacks, even when a folder of that path exists", async () => {
    const folder = path.join(dir, "same-path-on-both-hosts");
    await mkdir(folder);
    const driver = buildMarketDriver(spec(zoneA(true), folder));
    expect((await driver.stat("app-1-aaaaaaaaaaaa"))?.size).toBe(app.length);
    expect((await readAll(await driver.openRead("app-1-aaaaaaaaaaaa"))).equals(app)).toBe(true);
    // what the folder here does hold is read here
    await writeFile(path.join(folder, "app-6-here"), "local bytes");
    expect((await readAll(await driver.openRead("app-6-here"))).toString()).toBe("local bytes");
    expect(zone.requests.map((r) => r.path)).toEqual(["/market/7/app-1-aaaaaaaaaaaa", "/market/7/app-1-aaaaaaaaaaaa"]);
  });

  it("this zone's marketplace: only when its folder is not on this host", async () => {
    const folder = path.join(dir, "here");
    await mkdir(folder);
    const here = buildMarketDriver(spec(zoneA(false), folder));
    expect(await here.stat("app-1-aaaaaaaaaaaa")).toBeNull();
    await expect(here.openRead("app-1-aaaaaaaaaaaa")).rejects.toThrow(/ENOENT/);
    expect(zone.requests).toEqual([]);
    const elsewhere = buildMarketDriver(spec(zoneA(false)));
    expect((await elsewhere.stat("app-1-aaaaaaaaaaaa"))?.size).toBe(app.length);
  });

  it("without its zone (the portal serving the folder itself): never, so it never asks itself", async () => {
    const driver = buildMarketDriver(spec());
    expect(await driver.stat("app-1-aaaaaaaaaaaa")).toBeNull();
    await expect(driver.openRead("app-1-aaaaaaaaaaaa")).rejects.toThrow(/ENOENT/);
    expect(zone.requests).toEqual([]);
  });
});

describe("inside Next.js, whose fetch tees the body of a GET without a signal and keeps one branch", () => {
  const original = globalThis.fetch;
  beforeAll(() => {
    // the deduplication Next.js puts around fetch in route handlers (what a download runs in)
    const { createDedupeFetch } = createRequire(import.meta.url)("next/dist/server/lib/dedupe-fetch.js") as {
      createDedupeFetch: (f: typeof fetch) => typeof fetch;
    };
    globalThis.fetch = createDedupeFetch(original);
  });
  afterAll(() => {
    globalThis.fetch = original;
  });

  it("a missing app fails at once instead of waiting forever for its discarded answer", async () => {
    await expect(within(5000, driverAt().openRead("app-9-missing"))).rejects.toThrow(/answered 404/);
    await expect(within(5000, driverAt().openRead("app-1-aaaaaaaaaaaa", { start: 0, end: 0 }))).resolves.toBeDefined();
    expect(await within(5000, driverAt().stat("app-1-aaaaaaaaaaaa"))).toMatchObject({ size: app.length });
  });

  it("reads the whole app", async () => {
    expect((await within(5000, readAll(await driverAt().openRead("app-1-aaaaaaaaaaaa")))).equals(app)).toBe(true);
  });
});
