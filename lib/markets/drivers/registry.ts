import type { MarketDriverName, MarketDriverSpec } from "./config";
import { HttpMarketDriver } from "./http";
import { LinuxContainersMarketDriver, OneMarketDriver } from "./public-catalog";
import { S3MarketDriver } from "./s3";
import type { MarketCapabilities, MarketDriver } from "./types";

/** What each driver can do, for the UI and the API, without building a driver (or a client). */
export const MARKET_DRIVER_CAPABILITIES: Record<MarketDriverName, MarketCapabilities> = {
  http: HttpMarketDriver.capabilities,
  s3: S3MarketDriver.capabilities,
  one: OneMarketDriver.capabilities,
  linuxcontainers: LinuxContainersMarketDriver.capabilities,
};

/**
 * Where an http marketplace's folder is served: its BASE_URL, or else its own zone's portal
 * at /market/<id> (whichever instance asks); a bare path while that zone has no endpoint.
 */
export const httpMarketBaseUrl = (id: number, baseUrl: string, zoneEndpoint: string | null | undefined) =>
  baseUrl || `${zoneEndpoint ?? ""}/market/${id}`;

/**
 * The one place that turns a marketplace into its driver. An http marketplace of another
 * zone reads what its folder here lacks from where it is served; one without its origin
 * (the portal serving the folder) reads nothing but the folder here.
 */
export function buildMarketDriver(spec: MarketDriverSpec): MarketDriver {
  switch (spec.driver) {
    case "http":
      return new HttpMarketDriver({
        publicDir: spec.config.publicDir,
        baseUrl: httpMarketBaseUrl(spec.id, spec.config.baseUrl, spec.origin?.endpoint),
        remote: !spec.origin ? "never" : spec.origin.foreign ? "foreign" : "absent",
      });
    case "s3":
      return new S3MarketDriver({ config: spec.config, secrets: spec.secrets });
    case "one":
      return new OneMarketDriver(spec.config);
    case "linuxcontainers":
      return new LinuxContainersMarketDriver(spec.config);
    default:
      throw new Error(`Unknown market driver "${(spec as { driver: string }).driver}"`);
  }
}
