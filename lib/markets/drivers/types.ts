import type { Readable, Writable } from "node:stream";

/** What a market driver can do (OpenNebula's APP_ACTIONS plus how its bytes can be read). */
export interface MarketCapabilities {
  /** apps can be written (published) into it */
  create: boolean;
  /** app objects can be removed */
  delete: boolean;
  /** capacity can be measured */
  monitor: boolean;
  /** app bytes can be read back (import, download) */
  read: boolean;
  /** byte ranges on read */
  range: boolean;
}

/** A write in progress: nothing is visible under the key until commit() resolves. */
export interface MarketWriteHandle {
  /** bytes go here; it errors if the backend fails mid-way */
  stream: Writable;
  /** waits for the backend to hold every byte, then makes the object visible */
  commit(): Promise<{ size: number }>;
  /** removes whatever was written (temporary file, multipart upload); never throws */
  abort(): Promise<void>;
}

export interface MarketCapacity {
  totalBytes: number;
  freeBytes: number;
  usedBytes: number;
}

export interface MarketObjectInfo {
  size: number;
  /** quoted strong validator, e.g. "\"<hex>\"" */
  etag: string;
  lastModified: Date;
}

/**
 * A marketplace backend. Keys are names made by the portal (`app-<id>-<random>`), never by
 * users, and a key that would leave the marketplace (separators, "..", a leading dot) is
 * refused by every driver.
 */
export interface MarketDriver {
  readonly name: string;
  readonly capabilities: MarketCapabilities;
  /** reachability and credentials: resolves, or throws MarketConfigError naming the attribute */
  check(): Promise<void>;
  monitor(): Promise<MarketCapacity>;
  beginWrite(key: string, opts?: { size?: number | null; signal?: AbortSignal }): Promise<MarketWriteHandle>;
  openRead(key: string, range?: { start: number; end: number }, opts?: { signal?: AbortSignal }): Promise<Readable>;
  stat(key: string): Promise<MarketObjectInfo | null>;
  /** removes a committed object; a missing object is not an error */
  delete(key: string): Promise<void>;
  /**
   * Removes unfinished writes (temporary files, multipart uploads) whose key `keep` does not
   * claim: what a crash or an unreachable backend left behind. Returns how many went.
   */
  abortStaleUploads(keep: (key: string) => boolean): Promise<number>;
  /** committed app objects (not temporary ones) */
  list(): Promise<{ key: string; size: number }[]>;
  /** the app's SOURCE as OpenNebula shows it: `<BASE_URL>/<key>` or `s3://<bucket>/<key>` */
  sourceOf(key: string): string;
}

/** A configuration problem found by check() or at construction, tied to one attribute. */
export class MarketConfigError extends Error {
  constructor(
    readonly attribute: string,
    message: string,
  ) {
    super(message);
    this.name = "MarketConfigError";
  }
}

/** Keys the portal makes: letters, digits, '.', '_' and '-', not starting with a dot. */
export const MARKET_KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export function assertMarketKey(key: string): void {
  if (!MARKET_KEY.test(key) || key.includes("..")) throw new Error(`Refused market key ${JSON.stringify(key)}`);
}
