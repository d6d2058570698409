import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it, beforeEach, afterEach } from "vitest";
import type { DatastoreDriver } from "./types";

/**
 * The behaviour every datastore driver must have. A driver's test file calls this with a
 * factory that makes a fresh, empty backend (and a cleanup), then adds its own edge cases.
 */
export function runDatastoreDriverConformance(
  name: string,
  make: () => Promise<{ driver: DatastoreDriver; cleanup: () => Promise<void> }>,
) {
  describe(`datastore driver conformance: ${name}`, () => {
    let driver: DatastoreDriver;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ driver, cleanup } = await make());
      await driver.init();
    });
    afterEach(async () => cleanup());

    const write = async (key: string, data: Buffer) => {
      const handle = await driver.beginWrite(key);
      await pipeline(Readable.from([data]), handle.stream);
      return handle.commit();
    };
    const read = async (key: string, range?: { start: number; end: number }) => {
      const chunks: Buffer[] = [];
      for await (const c of await driver.openRead(key, range)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    };

    it("declares its capabilities", () => {
      for (const cap of ["read", "write", "range", "delete", "monitor", "localPath"] as const) {
        expect(typeof driver.capabilities[cap]).toBe("boolean");
      }
    });

    it("writes, commits and reads back the same bytes", async () => {
      const data = randomBytes(3 * 1024 * 1024 + 17);
      const { size } = await write("obj-1", data);
      expect(size).toBe(data.length);
      expect(await driver.stat("obj-1")).toEqual({ size: data.length });
      const back = await read("obj-1");
      expect(createHash("sha256").update(back).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
      expect(await driver.list()).toEqual(["obj-1"]);
    });

    it("keeps an uncommitted write invisible, and abort leaves nothing behind", async () => {
      const handle = await driver.beginWrite("obj-2");
      await new Promise<void>((resolve, reject) =>
        handle.stream.write(randomBytes(1000), (e) => (e ? reject(e) : resolve())),
      );
      expect(await driver.stat("obj-2")).toBeNull();
      expect(await driver.list()).toEqual([]);
      await handle.abort();
      expect(await driver.stat("obj-2")).toBeNull();
      expect(await driver.list()).toEqual([]);
    });

    it("reads byte ranges (inclusive end) when it declares range", async () => {
      if (!driver.capabilities.range) return;
      const data = Buffer.from("0123456789abcdef");
      await write("obj-3", data);
      expect((await read("obj-3", { start: 3, end: 7 })).toString()).toBe("34567");
      expect((await read("obj-3", { start: 15, end: 15 })).toString()).toBe("f");
    });

    it("deletes objects; deleting a missing object is not an error", async () => {
      await write("obj-4", Buffer.from("x"));
      await driver.delete("obj-4");
      expect(await driver.stat("obj-4")).toBeNull();
      await expect(driver.delete("obj-4")).resolves.toBeUndefined();
    });

    it("fails to read a missing object before streaming", async () => {
      await expect(driver.openRead("missing")).rejects.toThrow();
    });

    it("refuses names that would escape the datastore", async () => {
      for (const key of ["../x", "a/../../x", "/etc/passwd", "..", ".", "", "a/b", "x\u0000y", "..\\x", "obj.part"]) {
        await expect(driver.beginWrite(key), key).rejects.toThrow();
        await expect(driver.openRead(key), key).rejects.toThrow();
        await expect(driver.delete(key), key).rejects.toThrow();
      }
    });

    it("reports capacity", async () => {
      if (!driver.capabilities.monitor) return;
      const c = await driver.monitor();
      expect(c.totalBytes).toBeGreaterThan(0);
      expect(c.freeBytes).toBeGreaterThanOrEqual(0);
      expect(c.freeBytes).toBeLessThanOrEqual(c.totalBytes);
    });
  });
}
