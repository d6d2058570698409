import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ESCAPING_KEYS, runByteStoreConformance } from "@/lib/storage/conformance";
import type { MarketCapabilities, MarketDriver } from "./types";

const MiB = 1024 * 1024;

export interface MarketConformanceBackend {
  driver: MarketDriver;
  cleanup(): Promise<void>;
  /** what the backend holds besides committed objects (temporary files, multipart uploads); must end empty */
  leftovers(): Promise<string[]>;
}

export interface MarketConformanceOptions {
  /** what the driver's class declares (MARKET_DRIVER_CAPABILITIES); the driver is held to it */
  capabilities: MarketCapabilities;
  /** size of the large payload; drivers with parts make it span several. Default: random, 1 to 20 MiB */
  largeBytes?: number;
}

/**
 * The behaviour every market driver must have: the byte store suite (on a checked driver),
 * then what is a market's own (check, etag and lastModified, sourceOf, used capacity). A
 * driver's test file calls this with a factory that makes a fresh, empty backend.
 */
export function runMarketDriverConformance(
  name: string,
  make: () => Promise<MarketConformanceBackend>,
  opts: MarketConformanceOptions,
) {
  const { capabilities } = opts;
  runByteStoreConformance(
    `${name} market`,
    async () => {
      const { driver, cleanup, leftovers } = await make();
      await driver.check();
      return { store: driver, cleanup, leftovers };
    },
    {
      optional: { capacity: capabilities.monitor, localPath: false, beginLocalWrite: false, move: false },
      largeBytes: opts.largeBytes,
    },
  );

  describe(`market driver conformance: ${name}`, () => {
    let backend: MarketConformanceBackend;
    let driver: MarketDriver;

    beforeEach(async () => {
      backend = await make();
      driver = backend.driver;
    });
    afterEach(async () => backend.cleanup());

    const write = async (key: string, data: Buffer) => {
      const handle = await driver.beginWrite(key, { size: data.length });
      await pipeline(Readable.from([data]), handle.stream);
      return handle.commit();
    };

    it("declares what its methods do", () => {
      expect(capabilities.monitor).toBe(typeof driver.capacity === "function");
      expect(capabilities.range).toBe(true);
      for (const cap of ["create", "delete", "read"] as const) expect(typeof capabilities[cap]).toBe("boolean");
    });

    it("passes its own check", async () => {
      await expect(driver.check()).resolves.toBeUndefined();
    });

    it("stats with a quoted etag that changes with the content, and the time of the write", async () => {
      await driver.check();
      const before = Date.now();
      await write("app-1-stat", Buffer.from("one"));
      const first = await driver.stat("app-1-stat");
      expect(first?.etag).toMatch(/^"[^"]+"$/);
      // second resolution at most (S3's Last-Modified), and some leeway for clocks
      expect(Math.abs(first!.lastModified.getTime() - before)).toBeLessThan(60_000);
      await write("app-1-stat", Buffer.from("three"));
      expect((await driver.stat("app-1-stat"))?.etag).not.toBe(first!.etag);
    });

    it.runIf(capabilities.monitor)(
      "reports capacity that accounts for what it holds (capability: monitor)",
      async () => {
        await driver.check();
        await write("app-2-cap", randomBytes(MiB));
        const c = await driver.capacity!();
        expect(Number.isFinite(c.usedBytes) && c.usedBytes >= 0).toBe(true);
        expect(c.usedBytes).toBeGreaterThanOrEqual(MiB);
      },
    );

    it("names the key in the source, and refuses a key that would leave the market", () => {
      expect(driver.sourceOf("app-3-src")).toMatch(/app-3-src$/);
      for (const key of ESCAPING_KEYS) expect(() => driver.sourceOf(key), key).toThrow();
    });
  });
}
