import { constants } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, statfs } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { ByteRange, LocalWrite, StoreCapacity, WriteHandle } from "@/lib/storage/byte-store";
import { beginFileWrite, beginLocalFileWrite } from "@/lib/storage/file-write";
import type { DatastoreDriver } from "./types";

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const TEMP_SUFFIX = ".part";
/** `<key>.<12 hex>.part`: every write has a file of its own */
const TEMP_NAME = /^(.+)\.[0-9a-f]{12}\.part$/;
const MODE = 0o640;

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** A key → absolute path inside `base`; anything else (.., /, odd characters) is refused. */
export function resolveInside(base: string, key: string): string {
  if (!KEY.test(key) || key.endsWith(TEMP_SUFFIX) || key.includes("..")) {
    throw new Error(`Invalid object name "${key}"`);
  }
  const full = path.resolve(base, key);
  if (path.dirname(full) !== path.resolve(base)) throw new Error(`Object name "${key}" escapes the datastore`);
  return full;
}

/** Datastore driver for a local directory. Writes go to `<key>.<random>.part` and are renamed on commit. */
export class FsDatastoreDriver implements DatastoreDriver {
  readonly name = "fs";
  constructor(private readonly base: string) {
    if (!path.isAbsolute(base)) throw new Error("The fs driver needs an absolute base directory");
  }

  async init(): Promise<void> {
    await mkdir(this.base, { recursive: true });
  }

  async capacity(): Promise<StoreCapacity> {
    const s = await statfs(this.base);
    return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
  }

  localPath(key: string): string {
    return resolveInside(this.base, key);
  }

  /** A fresh temporary name for a write of `key`, and the key's own file. */
  private async prepare(key: string) {
    const final = resolveInside(this.base, key);
    await this.init();
    return { final, temp: `${final}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}` };
  }

  async beginWrite(key: string, opts: { signal?: AbortSignal } = {}): Promise<WriteHandle> {
    const { final, temp } = await this.prepare(key);
    return beginFileWrite(temp, final, { mode: MODE, signal: opts.signal });
  }

  async beginLocalWrite(key: string): Promise<LocalWrite> {
    const { final, temp } = await this.prepare(key);
    return beginLocalFileWrite(temp, final, MODE);
  }

  async openRead(key: string, range?: ByteRange, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    // opened (and checked to be a file) before anyone answers: a missing or odd object fails
    // here, not after the first bytes of a response
    // O_NONBLOCK: opening a FIFO planted under a key must not wait for a writer (it is refused below)
    const fh = await open(
      resolveInside(this.base, key),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
    try {
      if (!(await fh.stat()).isFile()) throw new Error(`Object "${key}" is not a regular file`);
    } catch (err) {
      await fh.close();
      throw err;
    }
    return fh.createReadStream({ ...range, signal: opts.signal });
  }

  async stat(key: string) {
    try {
      const s = await stat(resolveInside(this.base, key));
      return { size: s.size };
    } catch (err) {
      if (errno(err) === "ENOENT") return null;
      throw err;
    }
  }

  /** One rename: the object is under `from` or under `to`, never both or neither. */
  async move(from: string, to: string): Promise<void> {
    await rename(resolveInside(this.base, from), resolveInside(this.base, to));
  }

  async delete(key: string): Promise<void> {
    await rm(resolveInside(this.base, key), { force: true });
  }

  async list(): Promise<{ key: string; size: number }[]> {
    const out: { key: string; size: number }[] = [];
    for (const e of await this.entries()) {
      if (!e.isFile() || e.name.endsWith(TEMP_SUFFIX)) continue;
      const info = await this.stat(e.name).catch(() => null);
      if (info) out.push({ key: e.name, size: info.size });
    }
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  /**
   * Removes the temporary files of writes that never finished (a crash) unless `keep(key)`
   * says the write may still be going on. Returns how many were removed.
   */
  async abortStaleUploads(keep: (key: string) => boolean): Promise<number> {
    let removed = 0;
    for (const e of await this.entries()) {
      const key = TEMP_NAME.exec(e.name)?.[1];
      if (!e.isFile() || key === undefined || keep(key)) continue;
      await rm(path.join(this.base, e.name), { force: true });
      removed++;
    }
    return removed;
  }

  private async entries() {
    try {
      return await readdir(this.base, { withFileTypes: true });
    } catch (err) {
      if (errno(err) === "ENOENT") return [];
      throw err;
    }
  }
}
