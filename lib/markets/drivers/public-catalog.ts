import type { Readable } from "node:stream";
import type { ByteRange, WriteHandle } from "@/lib/storage/byte-store";
import { openUrl, UrlRefusedError } from "@/lib/transfer/url-source";
import type { CatalogParse } from "../catalog/catalog-entry";
import { endpointBase } from "../catalog/endpoint";
import { readOneCatalog, readSimplestreams } from "../catalog/read-catalog";
import type { LinuxContainersMarketConfig, OneMarketConfig } from "./config";
import { MarketConfigError, type MarketCapabilities, type MarketDriver, type MarketObjectInfo } from "./types";

/** A path under the endpoint: no leading "/", no ".." or "." segment, no query, no escapes out. */
const CATALOG_PATH = /^(?!\/)[A-Za-z0-9._~:@+=,%/-]{1,1024}$/;
/** A segment that reads as "." or ".." once decoded (URLs treat "%2e%2e" as ".."). */
const dotSegment = (s: string) => /^(\.|%2e){1,2}$/i.test(s);

/**
 * A public catalog (the OpenNebula marketplace, a simplestreams server): read-only. Its apps
 * are written by monitoring (`readCatalog`), and an app's key is the path of its file under
 * the endpoint, so that its bytes are read from there and from nowhere else: every hop to the
 * endpoint's own origin is trusted (an admin chose it; a company mirror may be on a private
 * network), every redirect elsewhere is held to the URL address policy.
 */
abstract class PublicCatalogDriver implements MarketDriver {
  static readonly capabilities: MarketCapabilities = {
    create: false,
    delete: false,
    monitor: false,
    read: true,
    range: true,
  };
  abstract readonly name: string;
  protected readonly base: URL;

  constructor(endpoint: string) {
    this.base = endpointBase(endpoint);
  }

  /** The apps the catalog offers now; throws with the URL and the reason when it cannot be read. */
  abstract readCatalog(signal?: AbortSignal): Promise<CatalogParse>;

  /** The key of a catalog file URL (a path under the endpoint), or null when it is not under it. */
  catalogKeyOf(url: string): string | null {
    if (!url.startsWith(this.base.href)) return null;
    const key = url.slice(this.base.href.length);
    // a key is only handed out when it reads back as the very same URL
    return this.isKey(key) && this.urlOf(key) === url ? key : null;
  }

  private isKey(key: string): boolean {
    return CATALOG_PATH.test(key) && !key.split("/").some((s) => s === "" || dotSegment(s));
  }

  private urlOf(key: string): string {
    if (!this.isKey(key)) throw new Error(`Refused catalog path ${JSON.stringify(key)}`);
    // "./" keeps a first segment such as "a:b" from reading as a URL scheme
    const url = new URL(`./${key}`, this.base);
    if (!url.href.startsWith(this.base.href))
      throw new Error(`Catalog path ${JSON.stringify(key)} leaves the endpoint`);
    return url.href;
  }

  async check(): Promise<void> {
    try {
      await this.readCatalog();
    } catch (err) {
      throw new MarketConfigError("endpoint", (err as Error).message);
    }
  }

  async openRead(key: string, range?: ByteRange, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    const res = await openUrl(this.urlOf(key), { signal: opts.signal, range, trustedOrigin: this.base.origin });
    return res.body;
  }

  /**
   * Whether the catalog still serves the file: a GET whose answer is dropped after its headers
   * (a catalog's download URL may only redirect, and a HEAD is not always answered where it
   * leads; a byte range not always honoured).
   */
  async stat(key: string): Promise<MarketObjectInfo | null> {
    try {
      const res = await openUrl(this.urlOf(key), { trustedOrigin: this.base.origin });
      res.body.destroy();
      return { size: res.length ?? 0, etag: '""', lastModified: new Date(0) };
    } catch (err) {
      if (err instanceof UrlRefusedError && /HTTP 404|HTTP 410/.test(err.message)) return null;
      throw err;
    }
  }

  beginWrite(): Promise<WriteHandle> {
    return Promise.reject(new Error(`The ${this.name} marketplace is a public catalog: apps cannot be written to it`));
  }

  delete(): Promise<void> {
    return Promise.reject(
      new Error(`The ${this.name} marketplace is a public catalog: apps cannot be deleted from it`),
    );
  }

  /** Nothing is stored: a catalog's apps are its entries, not objects. */
  list(): Promise<{ key: string; size: number }[]> {
    return Promise.resolve([]);
  }

  abortStaleUploads(): Promise<number> {
    return Promise.resolve(0);
  }

  sourceOf(key: string): string {
    return this.urlOf(key);
  }
}

/** OpenNebula's `one` driver: `GET <endpoint>/appliance`, files at `appliance/<id>/download/<n>`. */
export class OneMarketDriver extends PublicCatalogDriver {
  readonly name = "one";
  private readonly version: string;

  constructor(config: OneMarketConfig) {
    super(config.endpoint);
    this.version = config.version;
  }

  readCatalog(signal?: AbortSignal): Promise<CatalogParse> {
    return readOneCatalog(this.base.href, { version: this.version, signal });
  }
}

/** A simplestreams server's VM disk images (`streams/v1/index.json`, then its product list). */
export class LinuxContainersMarketDriver extends PublicCatalogDriver {
  readonly name = "linuxcontainers";
  private readonly architectures: LinuxContainersMarketConfig["architectures"];
  private readonly variant: string;

  constructor(config: LinuxContainersMarketConfig) {
    super(config.endpoint);
    this.architectures = config.architectures;
    this.variant = config.variant;
  }

  readCatalog(signal?: AbortSignal): Promise<CatalogParse> {
    return readSimplestreams(this.base.href, { architectures: this.architectures, variant: this.variant, signal });
  }
}
