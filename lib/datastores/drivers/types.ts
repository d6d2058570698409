import type { ByteStore, WriteHandle as StoreWriteHandle } from "@/lib/storage/byte-store";

/** A datastore write in progress: bytes go to a temporary object until commit() makes it visible. */
export interface WriteHandle extends StoreWriteHandle {
  /**
   * @deprecated use `beginLocalWrite` for a file that a local program writes. Until then:
   * the temporary file of a local driver; once it is read, a stream destroyed without an
   * error means the file was handed to another writer, and commit() takes the file as it is.
   */
  readonly tempPath?: string;
}

/**
 * A datastore backend. Keys are driver-relative names made by the portal (never by users)
 * and are always confined to the datastore: a key that would escape it is refused.
 */
export interface DatastoreDriver extends ByteStore {
  /** creates what the backend needs (the directory); safe to call again */
  init(): Promise<void>;
  beginWrite(key: string, opts?: { size?: number | null; signal?: AbortSignal }): Promise<WriteHandle>;
  /** @deprecated check `localPath` itself */
  readonly capabilities: { readonly localPath: boolean };
}
