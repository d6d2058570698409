import { z } from "zod";

/**
 * The attributes of each market driver (OpenNebula's REQUIRED_ATTRS and friends), split into
 * what may be shown and what is secret. Secrets are stored encrypted and never returned.
 */
const absoluteDir = z
  .string()
  .trim()
  .min(1, "is required")
  .max(1024)
  .refine((p) => p.startsWith("/"), "must be an absolute path")
  .refine((p) => !p.split("/").includes(".."), "must not contain '..'");

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((u) => {
    try {
      return ["http:", "https:"].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, "must be an http(s) URL")
  .transform((u) => u.replace(/\/+$/, ""));

export const httpMarketConfig = z.object({
  /** directory the apps are written to (OpenNebula's PUBLIC_DIR) */
  publicDir: absoluteDir,
  /** public URL prefix of that directory; empty: the portal serves it at /market/<id>/ */
  baseUrl: z.union([z.literal(""), httpUrl]).default(""),
});
export type HttpMarketConfig = z.infer<typeof httpMarketConfig>;

export const s3MarketConfig = z.object({
  accessKeyId: z.string().trim().min(1, "is required").max(256),
  region: z.string().trim().min(1, "is required").max(64),
  bucket: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      "must be a valid bucket name (3-63 lowercase letters, digits, '.', '-')",
    ),
  /** custom endpoint of an S3-compatible service; empty: AWS */
  endpoint: z.union([z.literal(""), httpUrl]).default(""),
  forcePathStyle: z.boolean().default(false),
  /** multipart part size in MB (OpenNebula's READ_LENGTH, which it ignores; honoured here) */
  partSizeMb: z
    .number()
    .int()
    .min(5, "must be at least 5 MB (S3's minimum part)")
    // parts are held in memory, 4 in flight: OpenNebula's advice, "never > 100", bounds it
    .max(100, "must be at most 100 MB")
    .default(32),
  /** reported capacity (S3 has no quota API); OpenNebula's default is 1 TB */
  totalMb: z
    .number()
    .int()
    .min(1)
    .max(2 ** 40)
    .default(1048576),
  /** object key prefix (OpenNebula's APP_PREFIX) */
  keyPrefix: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{0,64}$/, "must be at most 64 letters, digits, '_' or '-'")
    .default("marketapp"),
  /**
   * app downloads (and catalog file downloads) answered with a redirect to a short-lived
   * presigned URL of the object, once the portal has checked the permission: the bytes do not
   * pass through the portal, and clients must reach the S3 endpoint themselves
   */
  downloadRedirect: z.boolean().default(false),
});
export type S3MarketConfig = z.infer<typeof s3MarketConfig>;

export const s3MarketSecrets = z.object({
  secretAccessKey: z.string().min(1, "is required").max(256),
});
export type S3MarketSecrets = z.infer<typeof s3MarketSecrets>;

/** A public catalog's address: an http(s) URL without credentials, query or fragment. */
const catalogEndpoint = (fallback: string) =>
  httpUrl
    .refine((u) => {
      const url = new URL(u);
      return !url.username && !url.password && !url.search && !url.hash;
    }, "must be an http(s) URL without credentials, query or fragment")
    .default(fallback);

/** The OpenNebula public marketplace protocol (OpenNebula's `one` market driver). */
export const oneMarketConfig = z.object({
  endpoint: catalogEndpoint("https://marketplace.opennebula.io"),
  /**
   * the OpenNebula version the catalog is asked for: the server answers the catalog of the
   * version the User-Agent names (its newest otherwise), an older one being smaller
   */
  version: z
    .string()
    .trim()
    .regex(/^\d{1,2}\.\d{1,2}$/, "must be an OpenNebula version such as 7.4")
    .default("7.4"),
});
export type OneMarketConfig = z.infer<typeof oneMarketConfig>;

/** A simplestreams server (images.linuxcontainers.org): its VM disk images only. */
export const linuxContainersMarketConfig = z.object({
  endpoint: catalogEndpoint("https://images.linuxcontainers.org"),
  architectures: z
    .array(z.enum(["amd64", "arm64"]))
    .min(1, "must name at least one")
    .max(2)
    .transform((a) => [...new Set(a)])
    .default(["amd64"]),
  /** the image variant offered ("default", "cloud", …) */
  variant: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be a variant name such as default or cloud")
    .default("default"),
});
export type LinuxContainersMarketConfig = z.infer<typeof linuxContainersMarketConfig>;

export const MARKET_DRIVERS = ["http", "s3", "one", "linuxcontainers"] as const;
export type MarketDriverName = (typeof MARKET_DRIVERS)[number];

/** Each driver's attributes. */
export const MARKET_CONFIG_SCHEMAS = {
  http: httpMarketConfig,
  s3: s3MarketConfig,
  one: oneMarketConfig,
  linuxcontainers: linuxContainersMarketConfig,
} as const;

/** Drivers that read a public catalog: their apps come from monitoring, never from a publish. */
export const PUBLIC_MARKET_DRIVERS: readonly MarketDriverName[] = ["one", "linuxcontainers"];
export const isPublicDriver = (driver: string) => (PUBLIC_MARKET_DRIVERS as readonly string[]).includes(driver);

export const MARKET_DRIVER_LABELS: Record<MarketDriverName, string> = {
  http: "HTTP server",
  s3: "Amazon S3 or compatible",
  one: "OpenNebula public marketplace",
  linuxcontainers: "Linux Containers (simplestreams)",
};

/**
 * The zone a marketplace belongs to, as the instance that reads it sees it. Without it an
 * http marketplace reads only the folder on this host, and serves nowhere it could name.
 */
export interface MarketOrigin {
  zone: string;
  /** the zone's portal URL (null while it has none) */
  endpoint: string | null;
  /** the zone is another than this instance's */
  foreign: boolean;
}

/** A marketplace as its driver needs it: decrypted secrets, parsed config. */
export type MarketDriverSpec =
  | { id: number; driver: "http"; config: HttpMarketConfig; secrets: Record<string, never>; origin?: MarketOrigin }
  | { id: number; driver: "s3"; config: S3MarketConfig; secrets: S3MarketSecrets }
  | { id: number; driver: "one"; config: OneMarketConfig; secrets: Record<string, never> }
  | { id: number; driver: "linuxcontainers"; config: LinuxContainersMarketConfig; secrets: Record<string, never> };
