import type { Readable, Writable } from "node:stream";

/** A write in progress: nothing is visible under the key until commit() resolves. */
export interface WriteHandle {
  /** bytes go here; it errors if the backend fails mid-way */
  stream: Writable;
  /** waits for the backend to hold every byte, then makes the object visible; fails on a failed stream */
  commit(): Promise<{ size: number }>;
  /** removes whatever was written (temporary file, multipart upload); never throws, no-op after commit */
  abort(): Promise<void>;
}

/**
 * A write by a local program (qemu-img): it writes the file at `path`, which may be replaced
 * but must stay where it is; nothing is visible under the key until commit() resolves.
 */
export interface LocalWrite {
  path: string;
  commit(): Promise<{ size: number }>;
  abort(): Promise<void>;
}

export interface StoredObject {
  size: number;
}

export interface StoreCapacity {
  totalBytes: number;
  freeBytes: number;
  usedBytes?: number;
}

/** An inclusive byte range, as in HTTP's `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What the market and datastore drivers have in common: objects under flat keys made by the
 * portal (never by users), written through a handle and read back whole or by range. A key
 * that would leave the store (separators, "..", a leading dot, the empty key) is refused by
 * every method that takes one.
 *
 * Optional capabilities are optional methods: callers check `if (store.capacity)` before
 * they ask, and the conformance suite tests one only where a driver has it.
 */
export interface ByteStore<S extends StoredObject = StoredObject> {
  readonly name: string;
  beginWrite(key: string, opts?: { size?: number | null; signal?: AbortSignal }): Promise<WriteHandle>;
  /** fails before streaming when the object is missing; a range is exact or refused */
  openRead(key: string, range?: ByteRange, opts?: { signal?: AbortSignal }): Promise<Readable>;
  stat(key: string): Promise<S | null>;
  /** removes a committed object; a missing object is not an error */
  delete(key: string): Promise<void>;
  /** committed objects only, never unfinished writes */
  list(): Promise<{ key: string; size: number }[]>;
  /**
   * Removes unfinished writes (temporary files, multipart uploads) whose key `keep` does not
   * claim: what a crash or an unreachable backend left behind. Returns how many went.
   */
  abortStaleUploads(keep: (key: string) => boolean): Promise<number>;

  /** how much the backend holds and can still take */
  capacity?(): Promise<StoreCapacity>;
  /** a committed object as a file on this machine, for programs that read files (qemu-img) */
  localPath?(key: string): string;
  /** a write that a program on this machine makes itself (qemu-img convert) */
  beginLocalWrite?(key: string): Promise<LocalWrite>;
  /** renames a committed object, replacing `to` (atomic: never both, never neither) */
  move?(from: string, to: string): Promise<void>;
}

/** The optional capabilities of a ByteStore, as a driver declares them. */
export interface OptionalCapabilities {
  capacity: boolean;
  localPath: boolean;
  beginLocalWrite: boolean;
  move: boolean;
}

/** Which optional capabilities a store has. */
export function optionalCapabilitiesOf(store: ByteStore): OptionalCapabilities {
  return {
    capacity: typeof store.capacity === "function",
    localPath: typeof store.localPath === "function",
    beginLocalWrite: typeof store.beginLocalWrite === "function",
    move: typeof store.move === "function",
  };
}
