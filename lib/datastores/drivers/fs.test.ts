import { mkdtemp, rm, readdir, symlink, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runDatastoreDriverConformance } from "./conformance";
import { FsDatastoreDriver, resolveInside } from "./fs";

runDatastoreDriverConformance("fs", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "bazaar-fs-"));
  return {
    driver: new FsDatastoreDriver(path.join(dir, "ds")),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe("fs driver specifics", () => {
  it("needs an absolute base directory", () => {
    expect(() => new FsDatastoreDriver("relative/dir")).toThrow(/absolute/);
  });

  it("resolves keys directly inside the base only", () => {
    expect(resolveInside("/srv/ds", "img-1")).toBe("/srv/ds/img-1");
    expect(() => resolveInside("/srv/ds", "../ds2/img")).toThrow();
    expect(() => resolveInside("/srv/ds", "sub/img")).toThrow();
  });

  it("writes through a temporary .part file and lists it for sweeping until commit", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "bazaar-fs-"));
    try {
      const driver = new FsDatastoreDriver(dir);
      const handle = await driver.beginWrite("img-9");
      expect(handle.tempPath?.endsWith(".part")).toBe(true);
      expect(await driver.listTemporary()).toHaveLength(1);
      handle.stream.end(Buffer.from("hello"));
      await handle.commit();
      expect(await driver.listTemporary()).toHaveLength(0);
      expect(await readdir(dir)).toEqual(["img-9"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("does not write through a symlink planted under an object's name", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "bazaar-fs-"));
    try {
      const outside = path.join(dir, "outside.txt");
      await writeFile(outside, "keep me");
      const base = path.join(dir, "ds");
      const driver = new FsDatastoreDriver(base);
      await driver.init();
      await symlink(outside, path.join(base, "img-7"));
      const handle = await driver.beginWrite("img-7");
      handle.stream.end(Buffer.from("new bytes"));
      await handle.commit();
      // rename replaced the link itself; the file it pointed to is untouched
      expect(await readFile(outside, "utf8")).toBe("keep me");
      expect(await readFile(path.join(base, "img-7"), "utf8")).toBe("new bytes");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
