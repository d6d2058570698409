import type { ByteStore, StoreCapacity, StoredObject } from "@/lib/storage/byte-store";
import type { CatalogParse } from "../catalog/catalog-entry";

/**
 * What a market driver can do, for the API and the UI before any driver is built
 * (OpenNebula's APP_ACTIONS plus how its bytes can be read). It must agree with the driver's
 * methods: `monitor` is having `capacity()`, and the conformance suite holds a driver to it.
 */
export interface MarketCapabilities {
  /** apps can be written (published) into it */
  create: boolean;
  /** app objects can be removed */
  delete: boolean;
  /** capacity can be measured */
  monitor: boolean;
  /** app bytes can be read back (import, download) */
  read: boolean;
  /** byte ranges on read: every driver reads them (ByteStore.openRead) */
  range: true;
}

export interface MarketCapacity extends StoreCapacity {
  usedBytes: number;
}

export interface MarketObjectInfo extends StoredObject {
  /** quoted strong validator, e.g. "\"<hex>\"" */
  etag: string;
  lastModified: Date;
}

/**
 * A marketplace backend. Keys are names made by the portal (`app-<id>-<random>`), never by
 * users, and a key that would leave the marketplace (separators, "..", a leading dot) is
 * refused by every driver.
 */
export interface MarketDriver extends ByteStore<MarketObjectInfo> {
  /** reachability and credentials: resolves, or throws MarketConfigError naming the attribute */
  check(): Promise<void>;
  capacity?(): Promise<MarketCapacity>;
  /** the app's SOURCE as OpenNebula shows it: `<BASE_URL>/<key>` or `s3://<bucket>/<key>` */
  sourceOf(key: string): string;
  /**
   * Public catalogs only: the apps the catalog offers now (monitoring writes them), and the
   * key under which the driver reads the file at a catalog URL (null: not one of its files).
   */
  readCatalog?(signal?: AbortSignal): Promise<CatalogParse>;
  catalogKeyOf?(url: string): string | null;
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
