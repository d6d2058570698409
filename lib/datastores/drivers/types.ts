import type { ByteStore } from "@/lib/storage/byte-store";

/**
 * A datastore backend. Keys are driver-relative names made by the portal (never by users)
 * and are always confined to the datastore: a key that would escape it is refused.
 */
export interface DatastoreDriver extends ByteStore {
  /** creates what the backend needs (the directory); safe to call again */
  init(): Promise<void>;
  /** an image import puts the bytes of its last step under the image's key */
  move(from: string, to: string): Promise<void>;
}
