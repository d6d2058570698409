import type { Readable, Writable } from "node:stream";

/** What a datastore driver can do; callers check before they ask. */
export interface DatastoreCapabilities {
  read: boolean;
  write: boolean;
  /** byte ranges on read (HTTP Range downloads) */
  range: boolean;
  delete: boolean;
  monitor: boolean;
  /** objects are files on this machine (qemu-img can work on them in place) */
  localPath: boolean;
}

/** A write in progress: bytes go to a temporary object until commit() makes it visible. */
export interface WriteHandle {
  stream: Writable;
  /** path of the temporary file when the driver is local */
  tempPath?: string;
  commit(): Promise<{ size: number }>;
  abort(): Promise<void>;
}

export interface Capacity {
  totalBytes: number;
  freeBytes: number;
}

/**
 * A datastore backend. Keys are driver-relative names made by the portal (never by users)
 * and are always confined to the datastore: a key that would escape it is refused.
 */
export interface DatastoreDriver {
  readonly name: string;
  readonly capabilities: DatastoreCapabilities;
  init(): Promise<void>;
  monitor(): Promise<Capacity>;
  beginWrite(key: string): Promise<WriteHandle>;
  openRead(key: string, range?: { start: number; end: number }): Promise<Readable>;
  stat(key: string): Promise<{ size: number } | null>;
  delete(key: string): Promise<void>;
  /** committed keys, for sweeping orphans */
  list(): Promise<string[]>;
  /** local file path of a key (capability localPath) */
  localPath(key: string): string;
}
