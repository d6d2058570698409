import { getConfig } from "@/lib/config";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-key";
import {
  httpMarketConfig,
  linuxContainersMarketConfig,
  oneMarketConfig,
  s3MarketConfig,
  s3MarketSecrets,
  type MarketDriverName,
  type MarketDriverSpec,
} from "./drivers/config";
import { buildMarketDriver } from "./drivers/registry";
import type { MarketDriver } from "./drivers/types";

/** Which attributes of each driver are secret (stored sealed, never returned). */
export const SECRET_ATTRIBUTES: Record<MarketDriverName, string[]> = {
  http: [],
  s3: ["secretAccessKey"],
  one: [],
  linuxcontainers: [],
};

export function sealSecrets(secrets: Record<string, string>): string {
  return Object.keys(secrets).length === 0 ? "" : encryptSecret(JSON.stringify(secrets));
}

export function openSecrets(sealed: string): Record<string, string> {
  return sealed ? (JSON.parse(decryptSecret(sealed)) as Record<string, string>) : {};
}

/** A stored marketplace, with its zone when its bytes are read or its sources written. */
export interface MarketRow {
  id: number;
  driver: string;
  config: string;
  secrets: string;
  zone?: { name: string; endpoint: string | null };
}

/** What a marketplace query includes for marketDriverFor to read apps from any zone. */
export const marketOriginInclude = { zone: { select: { name: true, endpoint: true } } } as const;

/**
 * A stored marketplace as its driver needs it. The stored config was validated when it was
 * written; parsing again fills defaults added since and keeps the types honest.
 */
export function specOf(row: MarketRow): MarketDriverSpec {
  const config = JSON.parse(row.config) as unknown;
  switch (row.driver) {
    case "http": {
      const origin = row.zone && {
        zone: row.zone.name,
        endpoint: row.zone.endpoint,
        foreign: row.zone.name !== getConfig().zoneName,
      };
      return { id: row.id, driver: "http", config: httpMarketConfig.parse(config), secrets: {}, origin };
    }
    case "s3":
      return {
        id: row.id,
        driver: "s3",
        config: s3MarketConfig.parse(config),
        secrets: s3MarketSecrets.parse(openSecrets(row.secrets)),
      };
    case "one":
      return { id: row.id, driver: "one", config: oneMarketConfig.parse(config), secrets: {} };
    case "linuxcontainers":
      return { id: row.id, driver: "linuxcontainers", config: linuxContainersMarketConfig.parse(config), secrets: {} };
    default:
      throw new Error(`Unknown market driver "${row.driver}"`);
  }
}

const drivers = new Map<string, MarketDriver>();

/**
 * The driver of a stored marketplace. Drivers are kept per stored configuration, so that an
 * S3 client and its connection pool serve every request instead of one per request; a
 * changed configuration makes a new one.
 *
 * With the row's zone (marketOriginInclude), an http marketplace whose folder is not on this
 * host is read from where it is served, and names its apps' sources; without it, only its
 * folder here is read (monitoring, deletes, and the portal's own serving of the folder).
 */
export function marketDriverFor(row: MarketRow): MarketDriver {
  const zone = row.zone
    ? `${row.zone.name}\0${row.zone.endpoint ?? ""}\0${row.zone.name === getConfig().zoneName}`
    : "";
  const key = `${row.id}\0${row.driver}\0${row.config}\0${row.secrets}\0${zone}`;
  let driver = drivers.get(key);
  if (!driver) {
    if (drivers.size >= 64) drivers.clear();
    driver = buildMarketDriver(specOf(row));
    drivers.set(key, driver);
  }
  return driver;
}
