import { constants } from "node:fs";
import { access, lstat, mkdir, open, readdir, rm, stat, statfs, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { ByteRange, WriteHandle } from "@/lib/storage/byte-store";
import { beginFileWrite } from "@/lib/storage/file-write";
import { openRemote, REMOTE_TIMEOUTS, statRemote, type RemoteTimeouts } from "./http-remote";
import {
  assertMarketKey,
  MarketConfigError,
  type MarketCapabilities,
  type MarketCapacity,
  type MarketDriver,
  type MarketObjectInfo,
} from "./types";

const TEMP_SUFFIX = ".part";

/**
 * `.<key>.<random>.part`: a dotfile, so neither list() nor a web server's directory listing
 * shows it, and a file of its own per write (an attempt that lost its job never commits the
 * bytes of the attempt that replaced it).
 */
const tempName = (key: string) => `.${key}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`;
/** The key a temporary file writes (also the `.<key>.part` of earlier versions). */
const keyOfTemp = (name: string) => {
  const inner = name.slice(1, -TEMP_SUFFIX.length);
  return /^(.+)\.[0-9a-f]{12}$/.exec(inner)?.[1] ?? inner;
};

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** What a file that is not in the folder here is said to be by the file system. */
const NOT_HERE = new Set(["ENOENT", "ENOTDIR", "EACCES", "EPERM"]);

/**
 * When an app whose file is not in the folder on this host is read from where the folder is
 * served (baseUrl) instead:
 *  - `never`: the portal serving the folder itself (app/market/[id]/[key]) reads only its own;
 *  - `absent`: when publicDir is not on this host (another instance of the marketplace's zone
 *    holds it);
 *  - `foreign`: a marketplace of another zone, whose folder this host may hold a stale or
 *    empty namesake of: any app not in it.
 */
export type RemoteReads = "never" | "absent" | "foreign";

/**
 * OpenNebula's http market: apps are files in a public directory that a web server (or the
 * portal itself at /market/<id>/) serves under baseUrl. Writes go to a temporary dotfile and
 * are renamed into place on commit, so a half-written app is never served. An instance on a
 * host without the folder reads the apps from baseUrl (lib/markets/drivers/http-remote.ts),
 * the way OpenNebula's front-ends do.
 */
export class HttpMarketDriver implements MarketDriver {
  static readonly capabilities: MarketCapabilities = {
    create: true,
    delete: true,
    monitor: true,
    read: true,
    range: true,
  };
  readonly name = "http";
  private readonly publicDir: string;
  private readonly baseUrl: string;
  private readonly remote: RemoteReads;
  private readonly timeouts: RemoteTimeouts;

  /**
   * `baseUrl`: where the folder is served, an http(s) URL, or a path of the portal
   * (`/market/<id>`) while its zone's endpoint is not known, which nothing can be read from.
   */
  constructor(opts: { publicDir: string; baseUrl: string; remote?: RemoteReads; timeouts?: Partial<RemoteTimeouts> }) {
    this.publicDir = opts.publicDir;
    this.baseUrl = opts.baseUrl;
    this.remote = opts.remote ?? "absent";
    this.timeouts = { ...REMOTE_TIMEOUTS, ...opts.timeouts };
  }

  /** The key's file, directly inside publicDir; anything that would land elsewhere is refused. */
  private fileOf(key: string): string {
    assertMarketKey(key);
    const dir = path.resolve(this.publicDir);
    const full = path.resolve(dir, key);
    if (path.dirname(full) !== dir) throw new Error(`Market key "${key}" escapes the public directory`);
    return full;
  }

  async check(): Promise<void> {
    const dir = this.publicDir;
    const fail = (what: string, err?: unknown): never => {
      const reason = err ? `: ${describeFsError(err)}` : "";
      throw new MarketConfigError("publicDir", `${dir} ${what}${reason}`);
    };
    if (!path.isAbsolute(dir)) fail("is not an absolute path");
    // EEXIST: something that is not a directory has the name, which the next step reports
    await mkdir(dir, { recursive: true }).catch((err) => errno(err) === "EEXIST" || fail("cannot be created", err));
    const s = await stat(dir).catch((err) => fail("cannot be read", err));
    if (!s.isDirectory()) fail("is not a directory");
    // access() trusts mode bits only; a real file also catches read-only mounts and ACLs
    const probe = path.join(dir, `.probe-${randomBytes(6).toString("hex")}`);
    await writeFile(probe, "", { flag: "wx" }).catch((err) => fail("is not writable", err));
    await rm(probe, { force: true });
  }

  async capacity(): Promise<MarketCapacity> {
    const s = await statfs(this.publicDir);
    const totalBytes = s.blocks * s.bsize;
    const freeBytes = s.bavail * s.bsize;
    return { totalBytes, freeBytes, usedBytes: Math.max(0, totalBytes - freeBytes) };
  }

  async beginWrite(key: string, opts: { size?: number | null; signal?: AbortSignal } = {}): Promise<WriteHandle> {
    const final = this.fileOf(key);
    // 0644: the web server in front of the directory may run as another user
    return beginFileWrite(path.join(path.dirname(final), tempName(key)), final, {
      mode: 0o644,
      signal: opts.signal,
    });
  }

  async openRead(key: string, range?: ByteRange, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    const file = this.fileOf(key);
    let fh;
    try {
      // O_NOFOLLOW: a symlink planted in the directory is not an app and may point anywhere
      // O_NONBLOCK: opening a FIFO planted under a key must not wait for a writer (it is refused below)
      fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      if (await this.readsElsewhere(err)) return openRemote(this.remoteUrl(key), range, this.timeouts, opts.signal);
      throw err;
    }
    try {
      if (!(await fh.stat()).isFile()) throw new Error(`Market object "${key}" is not a regular file`);
    } catch (err) {
      await fh.close();
      throw err;
    }
    return fh.createReadStream({ ...range, signal: opts.signal });
  }

  async stat(key: string): Promise<MarketObjectInfo | null> {
    try {
      const s = await lstat(this.fileOf(key));
      if (!s.isFile()) return null;
      return {
        size: s.size,
        etag: `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`,
        lastModified: s.mtime,
      };
    } catch (err) {
      if (await this.readsElsewhere(err)) return statRemote(this.remoteUrl(key), this.timeouts);
      if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") return null;
      throw err;
    }
  }

  /** Whether an app the folder here did not give (`err`) is read from where it is served. */
  private async readsElsewhere(err: unknown): Promise<boolean> {
    if (this.remote === "never" || !NOT_HERE.has(errno(err) ?? "")) return false;
    return this.remote === "foreign" || !(await folderHere(this.publicDir));
  }

  /** The app's URL for reading it from another host. */
  private remoteUrl(key: string): string {
    const url = this.sourceOf(key);
    if (!/^https?:\/\//i.test(url))
      throw new MarketConfigError(
        "baseUrl",
        `The folder ${this.publicDir} is not on this host, and where it is served is not known: ` +
          "set the marketplace's BASE_URL, or BAZAAR_PUBLIC_URL on the instances of its zone",
      );
    return url;
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileOf(key), { force: true });
  }

  async list(): Promise<{ key: string; size: number }[]> {
    const entries = await readdirOrEmpty(this.publicDir);
    const keys = entries.filter((e) => e.isFile() && !e.name.startsWith(".")).map((e) => e.name);
    const out: { key: string; size: number }[] = [];
    for (const key of keys.sort()) {
      const info = await this.stat(key).catch(() => null);
      if (info) out.push({ key, size: info.size });
    }
    return out;
  }

  /**
   * Removes the temporary files of writes that never finished (a crash, a lost process) unless
   * `keep(key)` says the write may still be going on. Returns how many were removed.
   */
  async abortStaleUploads(keep: (key: string) => boolean): Promise<number> {
    let removed = 0;
    for (const e of await readdirOrEmpty(this.publicDir)) {
      if (!e.isFile() || !e.name.startsWith(".") || !e.name.endsWith(TEMP_SUFFIX)) continue;
      if (keep(keyOfTemp(e.name))) continue;
      await rm(path.join(this.publicDir, e.name), { force: true });
      removed++;
    }
    return removed;
  }

  sourceOf(key: string): string {
    assertMarketKey(key);
    return `${this.baseUrl}/${key}`;
  }
}

/** Whether this host holds the folder (one it may not enter is another host's, as far as it can tell). */
async function folderHere(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch (err) {
    if (NOT_HERE.has(errno(err) ?? "")) return false;
    throw err;
  }
}

async function readdirOrEmpty(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (errno(err) === "ENOENT") return [];
    throw err;
  }
}

/** "permission denied" rather than "EACCES: permission denied, mkdir '/x'" (the path is said already). */
function describeFsError(err: unknown): string {
  const messages: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOTDIR: "a parent is not a directory",
    EEXIST: "a file of that name exists",
    ENOSPC: "no space left on the device",
    ELOOP: "too many symbolic links",
  };
  return messages[errno(err) ?? ""] ?? (err as Error).message;
}
