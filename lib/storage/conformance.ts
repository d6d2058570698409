import { createHash, randomBytes, randomInt } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { optionalCapabilitiesOf, type ByteRange, type ByteStore, type OptionalCapabilities } from "./byte-store";

const MiB = 1024 * 1024;

export interface ByteStoreBackend<S extends ByteStore = ByteStore> {
  /** a fresh, empty store, ready to write (initialised, checked) */
  store: S;
  cleanup(): Promise<void>;
  /** what the backend holds besides committed objects (temporary files, multipart uploads) */
  leftovers(): Promise<string[]>;
}

export interface ByteStoreConformanceOptions {
  /**
   * The optional capabilities the driver declares. Tests are chosen from this before any
   * store exists (a skipped capability shows as skipped), and every store is held to it.
   */
  optional: OptionalCapabilities;
  /** size of the large payload; drivers with parts make it span several. Default: random, 1 to 20 MiB */
  largeBytes?: number;
}

/** Keys that would leave a store or hide in it; every driver refuses them. */
export const ESCAPING_KEYS = [
  "../x",
  "a/b",
  ".hidden",
  "",
  "..",
  ".",
  "/etc/passwd",
  "a/../../x",
  "x\u0000y",
  "..\\x",
  "a..b",
];

export const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A source that yields `data` in socket-sized chunks, then fails if `failWith` is given. */
export function source(data: Buffer, failWith?: Error): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < data.length; i += 256 * 1024) yield data.subarray(i, i + 256 * 1024);
      if (failWith) throw failWith;
    })(),
  );
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Waits until `check` holds: a backend may take a moment to show what it was sent. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

/**
 * The behaviour every byte store (market and datastore drivers) must have. A driver's test
 * file calls this with a factory that makes a fresh, empty backend, then adds its own cases.
 */
export function runByteStoreConformance<S extends ByteStore>(
  name: string,
  make: () => Promise<ByteStoreBackend<S>>,
  opts: ByteStoreConformanceOptions,
) {
  describe(`byte store conformance: ${name}`, () => {
    let backend: ByteStoreBackend<S>;
    let store: S;
    const largeBytes = opts.largeBytes ?? randomInt(MiB, 20 * MiB + 1);

    beforeEach(async () => {
      backend = await make();
      store = backend.store;
    });
    afterEach(async () => backend.cleanup());

    const write = async (key: string, data: Buffer) => {
      const handle = await store.beginWrite(key, { size: data.length });
      await pipeline(source(data), handle.stream);
      return handle.commit();
    };
    const read = async (key: string, range?: ByteRange) => readAll(await store.openRead(key, range));
    /** a write left open with `bytes` in it */
    const writeOpen = async (key: string, bytes: number) => {
      const handle = await store.beginWrite(key);
      await pipeline(source(randomBytes(bytes)), handle.stream, { end: false });
      return handle;
    };
    /** nothing under the key, nothing listed, nothing half-written */
    const expectNothingLeft = async (key: string) => {
      expect(await store.stat(key)).toBeNull();
      expect(await store.list()).toEqual([]);
      expect(await backend.leftovers()).toEqual([]);
    };

    it("has exactly the optional capabilities it declares", () => {
      expect(optionalCapabilitiesOf(store)).toEqual(opts.optional);
    });

    it(`writes, commits, stats, lists and reads back the same bytes (${largeBytes} bytes)`, async () => {
      const data = randomBytes(largeBytes);
      expect(await write("obj-1", data)).toEqual({ size: data.length });
      expect((await store.stat("obj-1"))?.size).toBe(data.length);
      expect(await store.list()).toEqual([{ key: "obj-1", size: data.length }]);
      expect(sha256(await read("obj-1"))).toBe(sha256(data));
      expect(await backend.leftovers()).toEqual([]);
    });

    it("writes an empty object", async () => {
      expect(await write("obj-2", Buffer.alloc(0))).toEqual({ size: 0 });
      expect((await store.stat("obj-2"))?.size).toBe(0);
      expect((await read("obj-2")).length).toBe(0);
    });

    it("reads exact byte ranges, inclusive end: first byte, middle, last byte, all", async () => {
      const data = randomBytes(largeBytes);
      await write("obj-3", data);
      const mid = Math.floor(data.length / 2);
      const last = data.length - 1;
      for (const r of [
        { start: 0, end: 0 },
        { start: mid, end: mid + 999 },
        { start: last, end: last },
        { start: 0, end: last },
      ]) {
        expect((await read("obj-3", r)).equals(data.subarray(r.start, r.end + 1)), JSON.stringify(r)).toBe(true);
      }
    });

    it("keeps an uncommitted write invisible; abort leaves nothing behind", async () => {
      const handle = await writeOpen("obj-4", 1000);
      expect(await store.stat("obj-4")).toBeNull();
      expect(await store.list()).toEqual([]);
      await expect(store.openRead("obj-4")).rejects.toThrow();
      await handle.abort();
      await expectNothingLeft("obj-4");
      await expect(handle.abort()).resolves.toBeUndefined();
    });

    it("aborts a large write part-way and leaves nothing behind", async () => {
      const handle = await writeOpen("obj-5", Math.ceil(largeBytes * 0.6));
      await handle.abort();
      await expectNothingLeft("obj-5");
    });

    it("fails a write whose source fails mid-way; commit does not make it visible", async () => {
      const handle = await store.beginWrite("obj-6");
      const broken = source(randomBytes(Math.ceil(largeBytes * 0.6)), new Error("source went away"));
      await expect(pipeline(broken, handle.stream)).rejects.toThrow();
      await expect(handle.commit()).rejects.toThrow();
      expect(await store.stat("obj-6")).toBeNull();
      await handle.abort();
      await expectNothingLeft("obj-6");
    });

    it("does not commit a write whose stream was destroyed part-way", async () => {
      const handle = await writeOpen("obj-6-cut", 1000);
      handle.stream.destroy();
      await expect(handle.commit()).rejects.toThrow();
      await handle.abort();
      await expectNothingLeft("obj-6-cut");
    });

    it("stops a write when its signal aborts", async () => {
      const ac = new AbortController();
      const handle = await store.beginWrite("obj-7", { signal: ac.signal });
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
      await expect(handle.commit()).rejects.toThrow();
      await handle.abort();
      await expectNothingLeft("obj-7");
    });

    it("commits once; an abort after commit keeps the object", async () => {
      const handle = await store.beginWrite("obj-8");
      await pipeline(source(Buffer.from("kept")), handle.stream);
      expect(await handle.commit()).toEqual({ size: 4 });
      await expect(handle.commit()).rejects.toThrow();
      await handle.abort();
      expect((await store.stat("obj-8"))?.size).toBe(4);
      expect((await read("obj-8")).toString()).toBe("kept");
    });

    it("deletes objects; deleting a missing object is not an error", async () => {
      await write("obj-9", Buffer.from("x"));
      await store.delete("obj-9");
      expect(await store.stat("obj-9")).toBeNull();
      expect(await store.list()).toEqual([]);
      await expect(store.delete("obj-9")).resolves.toBeUndefined();
      await expect(store.delete("obj-9-never")).resolves.toBeUndefined();
    });

    it("lists committed objects only, with their sizes", async () => {
      await write("obj-10-b", Buffer.from("bb"));
      await write("obj-10-a", Buffer.from("a"));
      const open = await writeOpen("obj-10-open", 7);
      const listed = (await store.list()).sort((x, y) => x.key.localeCompare(y.key));
      expect(listed).toEqual([
        { key: "obj-10-a", size: 1 },
        { key: "obj-10-b", size: 2 },
      ]);
      await open.abort();
    });

    it("fails to read a missing object before streaming; stat says null", async () => {
      await expect(store.openRead("obj-11")).rejects.toThrow();
      expect(await store.stat("obj-11")).toBeNull();
    });

    it("refuses keys that would leave the store", async () => {
      for (const key of ESCAPING_KEYS) {
        await expect(store.beginWrite(key), key).rejects.toThrow();
        await expect(store.openRead(key), key).rejects.toThrow();
        await expect(store.stat(key), key).rejects.toThrow();
        await expect(store.delete(key), key).rejects.toThrow();
      }
    });

    it("aborts stale uploads except those kept, and leaves committed objects alone", async () => {
      await write("obj-12-done", Buffer.from("done"));
      // large enough for drivers with parts to have started an upload
      const bytes = Math.ceil(largeBytes * 0.6);
      const kept = await writeOpen("obj-12-kept", bytes);
      const stale = await writeOpen("obj-12-stale", bytes);
      await eventually("both writes are on the backend", async () => (await backend.leftovers()).length === 2);
      expect(await store.abortStaleUploads((key) => key === "obj-12-kept")).toBe(1);
      expect(await backend.leftovers()).toHaveLength(1);
      await stale.abort();
      // the kept write goes on as if nothing happened
      kept.stream.end();
      expect(await kept.commit()).toEqual({ size: bytes });
      expect((await store.list()).map((o) => o.key).sort()).toEqual(["obj-12-done", "obj-12-kept"]);
      expect(await store.abortStaleUploads(() => false)).toBe(0);
      expect(await backend.leftovers()).toEqual([]);
    });

    it.runIf(opts.optional.capacity)("reports its capacity (optional: capacity)", async () => {
      await write("obj-13", randomBytes(MiB));
      const c = await store.capacity!();
      for (const n of [c.totalBytes, c.freeBytes]) expect(Number.isFinite(n) && n >= 0).toBe(true);
      expect(c.totalBytes).toBeGreaterThan(0);
      expect(c.freeBytes).toBeLessThanOrEqual(c.totalBytes);
    });

    it.runIf(opts.optional.localPath)("gives a committed object as a local file (optional: localPath)", async () => {
      const data = randomBytes(4096);
      await write("obj-14", data);
      expect((await readFile(store.localPath!("obj-14"))).equals(data)).toBe(true);
      for (const key of ESCAPING_KEYS) expect(() => store.localPath!(key), key).toThrow();
    });

    it.runIf(opts.optional.beginLocalWrite)(
      "commits a file that a local program wrote, visible only then (optional: beginLocalWrite)",
      async () => {
        const data = randomBytes(100_000);
        const local = await store.beginLocalWrite!("obj-15");
        // a program such as qemu-img may replace the file rather than write into it
        await rm(local.path, { force: true });
        await writeFile(local.path, data);
        expect(await store.stat("obj-15")).toBeNull();
        expect(await store.list()).toEqual([]);
        expect(await local.commit()).toEqual({ size: data.length });
        await expect(local.commit()).rejects.toThrow();
        await local.abort();
        expect((await read("obj-15")).equals(data)).toBe(true);
        expect(await backend.leftovers()).toEqual([]);

        const dropped = await store.beginLocalWrite!("obj-16");
        await writeFile(dropped.path, data);
        await dropped.abort();
        await expect(dropped.commit()).rejects.toThrow();
        expect(await store.stat("obj-16")).toBeNull();
        expect(await backend.leftovers()).toEqual([]);

        const unfinished = await store.beginLocalWrite!("obj-17");
        expect(await store.abortStaleUploads(() => false)).toBe(1);
        await expect(unfinished.commit()).rejects.toThrow();
        expect(await backend.leftovers()).toEqual([]);

        for (const key of ESCAPING_KEYS) await expect(store.beginLocalWrite!(key), key).rejects.toThrow();
      },
    );

    it.runIf(opts.optional.move)("renames a committed object, replacing the target (optional: move)", async () => {
      const data = randomBytes(50_000);
      await write("obj-18", data);
      await write("obj-19", randomBytes(10));
      await store.move!("obj-18", "obj-19");
      expect(await store.stat("obj-18")).toBeNull();
      expect((await read("obj-19")).equals(data)).toBe(true);
      expect((await store.list()).map((o) => o.key)).toEqual(["obj-19"]);
      await expect(store.move!("obj-18", "obj-20")).rejects.toThrow();
      for (const key of ESCAPING_KEYS) {
        await expect(store.move!("obj-19", key), key).rejects.toThrow();
        await expect(store.move!(key, "obj-20"), key).rejects.toThrow();
      }
      expect(await backend.leftovers()).toEqual([]);
    });
  });
}
