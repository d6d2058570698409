import { z } from "zod";
import { blank, schemaValidate } from "@/components/ui/schema-validate";
import { objectName } from "@/lib/api/schemas";
import { MARKET_CONFIG_SCHEMAS, s3MarketSecrets, type MarketDriverName } from "@/lib/markets/drivers/config";
import { marketplaceDescription } from "@/lib/markets/market-schemas";
import type { CheckMarketplaceInput, MarketplaceDto } from "./api";

/** Mirrors MARKET_DRIVER_LABELS in lib/markets/drivers/config.ts (not imported: that module pulls zod into the bundle). */
export const DRIVER_OPTIONS: { value: MarketDriverName; label: string }[] = [
  { value: "http", label: "HTTP server" },
  { value: "s3", label: "Amazon S3 or compatible" },
  { value: "one", label: "OpenNebula public marketplace" },
  { value: "linuxcontainers", label: "Linux Containers (simplestreams)" },
];

/** Mirrors PUBLIC_MARKET_DRIVERS: read-only catalogs whose apps come from monitoring them. */
const PUBLIC_DRIVERS: readonly MarketDriverName[] = ["one", "linuxcontainers"];
export const isPublicDriver = (driver: MarketDriverName) => PUBLIC_DRIVERS.includes(driver);

/** Drivers the server lets only administrators create (http writes here; a catalog's endpoint is trusted). */
export const adminOnlyDriver = (driver: MarketDriverName) => driver === "http" || isPublicDriver(driver);

/** What each driver is, in one line, under the driver choice. */
export const DRIVER_DESCRIPTIONS: Record<MarketDriverName, string> = {
  http: "Apps are files in a directory of this server, served over HTTP.",
  s3: "Apps are objects in a bucket of Amazon S3 or an S3-compatible service.",
  one: "Read-only: the apps of the OpenNebula public marketplace (or a mirror), synced when it is monitored.",
  linuxcontainers:
    "Read-only: the VM images of a simplestreams server such as images.linuxcontainers.org, synced when it is monitored.",
};

export const ARCHITECTURE_OPTIONS = [
  { value: "amd64", label: "amd64 (x86_64)" },
  { value: "arm64", label: "arm64 (aarch64)" },
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
  downloadRedirect: boolean;
  version: string;
  architectures: string[];
  variant: string;
}
type ConfigKey = keyof MarketConfigValues;
type ConfigValue = MarketConfigValues[ConfigKey];

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
    config: [
      "accessKeyId",
      "region",
      "bucket",
      "endpoint",
      "forcePathStyle",
      "partSizeMb",
      "totalMb",
      "keyPrefix",
      "downloadRedirect",
    ],
    secrets: ["secretAccessKey"],
  },
  one: { config: ["endpoint", "version"], secrets: [] },
  linuxcontainers: { config: ["endpoint", "architectures", "variant"], secrets: [] },
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
  downloadRedirect: "Downloads by redirect",
  version: "Version",
  architectures: "Architectures",
  variant: "Variant",
};

/** An attribute's value as the console prints it. */
export const formatAttribute = (value: string | number | boolean | string[]) =>
  Array.isArray(value)
    ? value.join(", ")
    : typeof value === "boolean"
      ? value
        ? "Yes"
        : "No"
      : typeof value === "number"
        ? value.toLocaleString()
        : value;

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
  downloadRedirect: false,
  version: "7.4",
  architectures: ["amd64"],
  variant: "default",
};

/** The endpoint each driver starts with: a public catalog's own server, AWS (empty) for s3. */
export const DEFAULT_ENDPOINTS: Record<MarketDriverName, string> = {
  http: "",
  s3: "",
  one: "https://marketplace.opennebula.io",
  linuxcontainers: "https://images.linuxcontainers.org",
};

/**
 * The form after choosing another driver: the endpoint, which s3 and the public catalogs share,
 * becomes the new driver's default unless the user typed one of their own.
 */
export function withDriver(v: MarketFormValues, driver: MarketDriverName): MarketFormValues {
  const untouched = Object.values(DEFAULT_ENDPOINTS).includes(v.config.endpoint.trim());
  return {
    ...v,
    driver,
    config: untouched ? { ...v.config, endpoint: DEFAULT_ENDPOINTS[driver] } : v.config,
  };
}

/** A new marketplace's form, or an existing one's (its secrets stay empty: they are never returned). */
export function marketFormValues(market?: MarketplaceDto): MarketFormValues {
  return {
    name: market?.name ?? "",
    description: market?.description ?? "",
    driver: market?.driver ?? "http",
    config: {
      ...DEFAULT_CONFIG,
      architectures: [...DEFAULT_CONFIG.architectures],
      ...(market?.config as Partial<MarketConfigValues> | undefined),
    },
    secrets: { secretAccessKey: "" },
  };
}

const trimmed = (v: ConfigValue) => (typeof v === "string" ? v.trim() : v);

/** The chosen driver's attributes as the API takes them. */
function configOf(v: MarketFormValues): Record<string, ConfigValue> {
  return Object.fromEntries(
    DRIVER_KEYS[v.driver].config.map((key) => {
      const value = v.config[key];
      return [key, key === "partSizeMb" || key === "totalMb" ? Number(value) : trimmed(value)];
    }),
  );
}

type DriverBody<D extends MarketDriverName> = Extract<CheckMarketplaceInput, { driver: D }>;

/** The driver part of a create or check body. */
export function driverBody(v: MarketFormValues): CheckMarketplaceInput {
  const config = configOf(v);
  switch (v.driver) {
    case "http":
      return { driver: "http", config: config as DriverBody<"http">["config"] };
    case "s3":
      return {
        driver: "s3",
        config: config as DriverBody<"s3">["config"],
        secrets: { secretAccessKey: v.secrets.secretAccessKey },
      };
    case "one":
      return { driver: "one", config: config as DriverBody<"one">["config"] };
    case "linuxcontainers":
      return { driver: "linuxcontainers", config: config as DriverBody<"linuxcontainers">["config"] };
  }
}

/** Lists (architectures) are sets: the same members in another order are no change. */
function sameValue(a: unknown, b: unknown) {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x) => b.includes(x));
  return a === b;
}

/** The attributes that differ from what the marketplace has (the API merges them). */
export function changedConfig(v: MarketFormValues, market: MarketplaceDto) {
  return Object.fromEntries(
    Object.entries(configOf(v)).filter(([key, value]) => !sameValue(market.config[key], value)),
  );
}

/**
 * Field errors as the form's fields are named: the server names a list's member
 * (`config.architectures.0`), the form has one field for the whole list.
 */
export function marketFieldErrors(errors: Record<string, string>): Record<string, string> {
  const folded: Record<string, string> = {};
  for (const [name, reason] of Object.entries(errors)) {
    const field = name.replace(/^(config\.[A-Za-z]+)\.\d+$/, "$1");
    folded[field] ??= reason;
  }
  return folded;
}

/** Hands a form's setErrors the folded names (for notifyError). */
export const marketErrorTarget = (form: { setErrors: (errors: Record<string, string>) => void }) => ({
  setErrors: (errors: Record<string, string>) => form.setErrors(marketFieldErrors(errors)),
});

/** The API's rules for the chosen driver's form: a new s3 marketplace needs its secret; an edit keeps it unless one is typed. */
function marketFormSchema(driver: MarketDriverName, secretRequired: boolean) {
  const secret = s3MarketSecrets.shape.secretAccessKey;
  return z.preprocess(
    (v) => ({ ...(v as MarketFormValues), config: configOf(v as MarketFormValues) }),
    z.object({
      name: objectName,
      description: marketplaceDescription,
      config: MARKET_CONFIG_SCHEMAS[driver],
      ...(driver === "s3"
        ? { secrets: z.object({ secretAccessKey: secretRequired ? secret : blank(undefined, secret.optional()) }) }
        : {}),
    }),
  );
}

export const marketFormValidate =
  ({ secretRequired }: { secretRequired: boolean }) =>
  (v: MarketFormValues) =>
    schemaValidate(marketFormSchema(v.driver, secretRequired))(v);
