import { createHash, randomBytes, randomInt } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MarketDriver } from "./types";

const MiB = 1024 * 1024;

export interface MarketConformanceBackend {
  driver: MarketDriver;
  cleanup(): Promise<void>;
  /** what the backend holds besides committed objects (temporary files, multipart uploads); must end empty */
  leftovers?(): Promise<string[]>;
}

export interface MarketConformanceOptions {
  /** size of the large payload; drivers with parts make it span several. Default: random, 1 to 20 MiB */
  largeBytes?: number;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A source that yields `data` in socket-sized chunks, then fails if `failWith` is given. */
function source(data: Buffer, failWith?: Error): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < data.length; i += 256 * 1024) yield data.subarray(i, i + 256 * 1024);
      if (failWith) throw failWith;
    })(),
  );
}

/**
 * The behaviour every market driver must have. A driver's test file calls this with a factory
 * that makes a fresh, empty backend (and a cleanup), then adds its own edge cases.
 */
export function runMarketDriverConformance(
  name: string,
  make: () => Promise<MarketConformanceBackend>,
  opts: MarketConformanceOptions = {},
) {
  describe(`market driver conformance: ${name}`, () => {
    let backend: MarketConformanceBackend;
    let driver: MarketDriver;
    const largeBytes = opts.largeBytes ?? randomInt(MiB, 20 * MiB + 1);

    beforeEach(async () => {
      backend = await make();
      driver = backend.driver;
    });
    afterEach(async () => backend.cleanup());

    const write = async (key: string, data: Buffer) => {
      const handle = await driver.beginWrite(key, { size: data.length });
      await pipeline(source(data), handle.stream);
      return handle.commit();
    };
    const read = async (key: string, range?: { start: number; end: number }) => {
      const chunks: Buffer[] = [];
      for await (const c of await driver.openRead(key, range)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    };
    /** nothing under the key, nothing listed, nothing half-written */
    const expectNothingLeft = async (key: string) => {
      expect(await driver.stat(key)).toBeNull();
      expect(await driver.list()).toEqual([]);
      if (backend.leftovers) expect(await backend.leftovers()).toEqual([]);
    };

    it("declares its capabilities", () => {
      for (const cap of ["create", "delete", "monitor", "read", "range"] as const) {
        expect(typeof driver.capabilities[cap]).toBe("boolean");
      }
    });

    it("passes its own check", async () => {
      await expect(driver.check()).resolves.toBeUndefined();
    });

    it(`writes, commits, stats and reads back the same bytes (${largeBytes} bytes)`, async () => {
      await driver.check();
      const data = randomBytes(largeBytes);
      const before = Date.now();
      expect(await write("app-1-large", data)).toEqual({ size: data.length });
      const info = await driver.stat("app-1-large");
      expect(info?.size).toBe(data.length);
      expect(info?.etag).toMatch(/^"[^"]+"$/);
      // second resolution at most (S3's Last-Modified), and some leeway for clocks
      expect(Math.abs(info!.lastModified.getTime() - before)).toBeLessThan(60_000);
      expect(sha256(await read("app-1-large"))).toBe(sha256(data));
      if (backend.leftovers) expect(await backend.leftovers()).toEqual([]);
    });

    it("reads exact byte ranges, inclusive end", async () => {
      if (!driver.capabilities.range) return;
      await driver.check();
      const data = randomBytes(largeBytes);
      await write("app-2-ranges", data);
      const mid = Math.floor(data.length / 2);
      const last = data.length - 1;
      for (const r of [
        { start: 0, end: 0 },
        { start: mid, end: mid + 999 },
        { start: last, end: last },
        { start: 0, end: last },
      ]) {
        expect((await read("app-2-ranges", r)).equals(data.subarray(r.start, r.end + 1)), JSON.stringify(r)).toBe(true);
      }
    });

    it("writes an empty object", async () => {
      await driver.check();
      expect(await write("app-3-empty", Buffer.alloc(0))).toEqual({ size: 0 });
      expect((await driver.stat("app-3-empty"))?.size).toBe(0);
      expect((await read("app-3-empty")).length).toBe(0);
    });

    it("keeps an uncommitted write invisible; abort leaves nothing behind", async () => {
      await driver.check();
      const handle = await driver.beginWrite("app-4-open");
      await new Promise<void>((resolve, reject) =>
        handle.stream.write(randomBytes(1000), (e) => (e ? reject(e) : resolve())),
      );
      expect(await driver.stat("app-4-open")).toBeNull();
      expect(await driver.list()).toEqual([]);
      await handle.abort();
      await expectNothingLeft("app-4-open");
      await expect(handle.abort()).resolves.toBeUndefined();
    });

    it("aborts a large write part-way and leaves nothing behind", async () => {
      await driver.check();
      const handle = await driver.beginWrite("app-5-part");
      await pipeline(source(randomBytes(Math.ceil(largeBytes * 0.6))), handle.stream, { end: false });
      await handle.abort();
      await expectNothingLeft("app-5-part");
    });

    it("rejects a write whose source fails mid-way, and abort leaves nothing", async () => {
      await driver.check();
      const handle = await driver.beginWrite("app-6-broken");
      const broken = source(randomBytes(Math.ceil(largeBytes * 0.6)), new Error("source went away"));
      await expect(pipeline(broken, handle.stream)).rejects.toThrow();
      await expect(handle.commit()).rejects.toThrow();
      await handle.abort();
      await expectNothingLeft("app-6-broken");
    });

    it("stops a write when its signal aborts", async () => {
      await driver.check();
      const ac = new AbortController();
      const handle = await driver.beginWrite("app-7-signal", { signal: ac.signal });
      const endless = Readable.from(
        (async function* () {
          for (let i = 0; ; i++) {
            if (i === 8) ac.abort(new Error("cancelled by the user"));
            yield randomBytes(64 * 1024);
            await new Promise((r) => setImmediate(r));
          }
        })(),
      );
      await expect(pipeline(endless, handle.stream)).rejects.toThrow();
      await handle.abort();
      await expectNothingLeft("app-7-signal");
    });

    it("deletes objects; deleting a missing object is not an error", async () => {
      await driver.check();
      await write("app-8-del", Buffer.from("x"));
      await driver.delete("app-8-del");
      expect(await driver.stat("app-8-del")).toBeNull();
      await expect(driver.delete("app-8-del")).resolves.toBeUndefined();
      await expect(driver.delete("app-8-never")).resolves.toBeUndefined();
    });

    it("leaves a committed object alone when abort comes after commit", async () => {
      await driver.check();
      const handle = await driver.beginWrite("app-9-kept");
      await pipeline(source(Buffer.from("kept")), handle.stream);
      await handle.commit();
      await handle.abort();
      expect((await driver.stat("app-9-kept"))?.size).toBe(4);
    });

    it("lists committed objects only, with their sizes", async () => {
      await driver.check();
      await write("app-10-b", Buffer.from("bb"));
      await write("app-10-a", Buffer.from("a"));
      const open = await driver.beginWrite("app-10-open");
      open.stream.write(Buffer.from("pending"));
      const listed = (await driver.list()).sort((x, y) => x.key.localeCompare(y.key));
      expect(listed).toEqual([
        { key: "app-10-a", size: 1 },
        { key: "app-10-b", size: 2 },
      ]);
      await open.abort();
    });

    it("fails to read a missing object before streaming; stat says null", async () => {
      await driver.check();
      await expect(driver.openRead("app-11-missing")).rejects.toThrow();
      expect(await driver.stat("app-11-missing")).toBeNull();
    });

    it("reports capacity that accounts for what it holds", async () => {
      if (!driver.capabilities.monitor) return;
      await driver.check();
      await write("app-12-cap", randomBytes(MiB));
      const c = await driver.monitor();
      for (const n of [c.totalBytes, c.freeBytes, c.usedBytes]) expect(Number.isFinite(n) && n >= 0).toBe(true);
      expect(c.totalBytes).toBeGreaterThan(0);
      expect(c.freeBytes).toBeLessThanOrEqual(c.totalBytes);
      expect(c.usedBytes).toBeGreaterThanOrEqual(MiB);
    });

    it("refuses keys that would leave the market", async () => {
      for (const key of ["../x", "a/b", ".hidden", "", "..", ".", "/etc/passwd", "a/../../x", "x\u0000y", "a..b"]) {
        await expect(driver.beginWrite(key), key).rejects.toThrow();
        await expect(driver.openRead(key), key).rejects.toThrow();
        await expect(driver.delete(key), key).rejects.toThrow();
        await expect(driver.stat(key), key).rejects.toThrow();
        expect(() => driver.sourceOf(key), key).toThrow();
      }
    });

    it("names the key in the source", () => {
      expect(driver.sourceOf("app-13-src")).toMatch(/app-13-src$/);
    });
  });
}
