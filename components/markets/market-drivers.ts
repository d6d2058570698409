import type { MarketDriverName } from "@/lib/markets/drivers/config";
import type { CheckMarketplaceInput, MarketplaceDto } from "./api";

/** Mirrors MARKET_DRIVER_LABELS in lib/markets/drivers/config.ts (not imported: that module pulls zod into the bundle). */
export const DRIVER_OPTIONS: { value: MarketDriverName; label: string }[] = [
  { value: "http", label: "HTTP server" },
  { value: "s3", label: "Amazon S3 or compatible" },
];

/** The driver attributes as the create and edit forms hold them (numbers may be "" while typed). */
export interface MarketConfigValues {
  publicDir: string;
  baseUrl: string;
  accessKeyId: string;
  region: string;
  bucket: string;
  endpoint: string;
  forcePathStyle: boolean;
  partSizeMb: number | string;
  totalMb: number | string;
  keyPrefix: string;
}
type ConfigKey = keyof MarketConfigValues;

export interface MarketFormValues {
  name: string;
  description: string;
  driver: MarketDriverName;
  config: MarketConfigValues;
  secrets: { secretAccessKey: string };
}

/** Which attributes (and secrets) each driver has, in the order the console shows them. */
export const DRIVER_KEYS: Record<MarketDriverName, { config: ConfigKey[]; secrets: "secretAccessKey"[] }> = {
  http: { config: ["publicDir", "baseUrl"], secrets: [] },
  s3: {
    config: ["accessKeyId", "region", "bucket", "endpoint", "forcePathStyle", "partSizeMb", "totalMb", "keyPrefix"],
    secrets: ["secretAccessKey"],
  },
};

export const ATTRIBUTE_LABELS: Record<string, string> = {
  publicDir: "Public directory",
  baseUrl: "Base URL",
  accessKeyId: "Access key ID",
  secretAccessKey: "Secret access key",
  region: "Region",
  bucket: "Bucket",
  endpoint: "Endpoint",
  forcePathStyle: "Force path style",
  partSizeMb: "Part size (MB)",
  totalMb: "Total capacity (MB)",
  keyPrefix: "Key prefix",
};

/** An attribute's value as the console prints it. */
export const formatAttribute = (value: string | number | boolean) =>
  typeof value === "boolean" ? (value ? "Yes" : "No") : typeof value === "number" ? value.toLocaleString() : value;

/** The server's defaults (lib/markets/drivers/config.ts), so that the form shows what will be saved. */
const DEFAULT_CONFIG: MarketConfigValues = {
  publicDir: "",
  baseUrl: "",
  accessKeyId: "",
  region: "",
  bucket: "",
  endpoint: "",
  forcePathStyle: false,
  partSizeMb: 32,
  totalMb: 1048576,
  keyPrefix: "marketapp",
};

/** A new marketplace's form, or an existing one's (its secrets stay empty: they are never returned). */
export function marketFormValues(market?: MarketplaceDto): MarketFormValues {
  return {
    name: market?.name ?? "",
    description: market?.description ?? "",
    driver: market?.driver ?? "http",
    config: { ...DEFAULT_CONFIG, ...(market?.config as Partial<MarketConfigValues> | undefined) },
    secrets: { secretAccessKey: "" },
  };
}

const trimmed = (v: string | number | boolean) => (typeof v === "string" ? v.trim() : v);

/** The chosen driver's attributes as the API takes them. */
function configOf(v: MarketFormValues): Record<string, string | number | boolean> {
  return Object.fromEntries(
    DRIVER_KEYS[v.driver].config.map((key) => {
      const value = v.config[key];
      return [key, key === "partSizeMb" || key === "totalMb" ? Number(value) : trimmed(value)];
    }),
  );
}

/** The driver part of a create or check body. */
export function driverBody(v: MarketFormValues): CheckMarketplaceInput {
  const config = configOf(v);
  return v.driver === "http"
    ? { driver: "http", config: config as Extract<CheckMarketplaceInput, { driver: "http" }>["config"] }
    : {
        driver: "s3",
        config: config as Extract<CheckMarketplaceInput, { driver: "s3" }>["config"],
        secrets: { secretAccessKey: v.secrets.secretAccessKey },
      };
}

/** The attributes that differ from what the marketplace has (the API merges them). */
export function changedConfig(v: MarketFormValues, market: MarketplaceDto) {
  return Object.fromEntries(Object.entries(configOf(v)).filter(([key, value]) => market.config[key] !== value));
}

/** Client-side checks for what the server would refuse at once; it checks the rest. */
export const marketFormValidate = (options: { secretRequired: boolean }) => ({
  name: (v: string) => (v.trim() ? null : "is required"),
  config: {
    publicDir: (v: string, values: MarketFormValues) =>
      values.driver !== "http" || v.trim().startsWith("/") ? null : "must be an absolute path",
    accessKeyId: (v: string, values: MarketFormValues) => (values.driver !== "s3" || v.trim() ? null : "is required"),
    region: (v: string, values: MarketFormValues) => (values.driver !== "s3" || v.trim() ? null : "is required"),
    bucket: (v: string, values: MarketFormValues) => (values.driver !== "s3" || v.trim() ? null : "is required"),
    partSizeMb: (v: number | string, values: MarketFormValues) =>
      values.driver !== "s3" || Number(v) >= 5 ? null : "must be at least 5 MB",
  },
  secrets: {
    secretAccessKey: (v: string, values: MarketFormValues) =>
      values.driver !== "s3" || !options.secretRequired || v ? null : "is required",
  },
});
