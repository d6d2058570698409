import { getConfig } from "@/lib/config";
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

/** Where the portal itself serves an http market whose baseUrl is left empty. */
export const defaultMarketBaseUrl = (id: number) => {
  const { publicUrl, port } = getConfig();
  return `${publicUrl ?? `http://localhost:${port}`}/market/${id}`;
};

/** The one place that turns a marketplace into its driver. */
export function buildMarketDriver(spec: MarketDriverSpec): MarketDriver {
  switch (spec.driver) {
    case "http":
      return new HttpMarketDriver({
        publicDir: spec.config.publicDir,
        baseUrl: spec.config.baseUrl || defaultMarketBaseUrl(spec.id),
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
