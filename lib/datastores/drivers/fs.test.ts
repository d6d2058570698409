import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, readdir, symlink, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runByteStoreConformance } from "@/lib/storage/conformance";
import { FsDatastoreDriver, resolveInside } from "./fs";

runByteStoreConformance(
  "fs datastore",
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "bazaar-fs-"));
    const base = path.join(dir, "ds");
    const store = new FsDatastoreDriver(base);
    await store.init();
    return {
      store,
      cleanup: () => rm(dir, { recursive: true, force: true }),
      leftovers: async () => (await readdir(base).catch(() => [])).filter((n) => n.endsWith(".part")),
    };
  },
  { optional: { capacity: true, localPath: true, beginLocalWrite: true, move: true } },
);

describe("fs driver specifics", () => {
  let dir: string;
  let base: string;
  let driver: FsDatastoreDriver;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bazaar-fs-"));
    base = path.join(dir, "ds");
    driver = new FsDatastoreDriver(base);
    await driver.init();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("reads only regular files: a FIFO, a directory or a symlink under a key fails at open", async () => {
    execFileSync("mkfifo", [path.join(base, "img-20")]);
    await mkdir(path.join(base, "img-21"));
    await writeFile(path.join(dir, "outside"), "host file");
    await symlink(path.join(dir, "outside"), path.join(base, "img-22"));
    await expect(driver.openRead("img-20")).rejects.toThrow(/not a regular file/);
    await expect(driver.openRead("img-21")).rejects.toThrow(/not a regular file/);
    await expect(driver.openRead("img-22")).rejects.toThrow(/ELOOP/);
  });

  const writeKey = async (key: string, data: string) => {
    const handle = await driver.beginWrite(key);
    handle.stream.end(Buffer.from(data));
    return handle.commit();
  };

  it("needs an absolute base directory", () => {
    expect(() => new FsDatastoreDriver("relative/dir")).toThrow(/absolute/);
  });

  it("resolves keys directly inside the base only, and never to a temporary name", async () => {
    expect(resolveInside("/srv/ds", "img-1")).toBe("/srv/ds/img-1");
    expect(() => resolveInside("/srv/ds", "../ds2/img")).toThrow();
    expect(() => resolveInside("/srv/ds", "sub/img")).toThrow();
    await expect(driver.beginWrite("obj.part")).rejects.toThrow();
    await expect(driver.openRead("obj.part")).rejects.toThrow();
  });

  it("writes through <key>.<random>.part files that the sweep removes unless kept", async () => {
    const kept = await driver.beginWrite("img.9");
    const stale = await driver.beginLocalWrite("img.9");
    const other = await driver.beginWrite("img-10");
    expect((await readdir(base)).sort()).toEqual([
      expect.stringMatching(/^img-10\.[0-9a-f]{12}\.part$/),
      expect.stringMatching(/^img\.9\.[0-9a-f]{12}\.part$/),
      expect.stringMatching(/^img\.9\.[0-9a-f]{12}\.part$/),
    ]);
    expect(await driver.abortStaleUploads((key) => key === "img.9")).toBe(1);
    expect(await driver.abortStaleUploads((key) => key !== "img.9")).toBe(2);
    expect(await readdir(base)).toEqual([]);
    await Promise.all([kept.abort(), stale.abort(), other.abort()]);
  });

  it("does not write through a symlink planted under an object's name", async () => {
    const outside = path.join(dir, "outside.txt");
    await writeFile(outside, "keep me");
    await symlink(outside, path.join(base, "img-7"));
    await writeKey("img-7", "new bytes");
    // rename replaced the link itself; the file it pointed to is untouched
    expect(await readFile(outside, "utf8")).toBe("keep me");
    expect(await readFile(path.join(base, "img-7"), "utf8")).toBe("new bytes");
  });

  it("lists only files with valid keys", async () => {
    await writeFile(path.join(base, ".hidden"), "x");
    await writeKey("img-8", "xy");
    expect(await driver.list()).toEqual([{ key: "img-8", size: 2 }]);
  });
});
