import path from "node:path";
import { z } from "zod";
import { INVALID_CIDR_MESSAGE, parseCidrList as splitCidrList } from "@/lib/auth/forwarding.mjs";

/**
 * The one place that reads the environment. Every variable is validated here, once;
 * a bad value stops the server with a message naming the variable.
 */
const octalUmask = z.string().regex(/^[0-7]{3}$/, "must be three octal digits, e.g. 177");

/** Comma-separated CIDR blocks such as "127.0.0.0/8, ::1/128", read as the HTTP server reads them. */
const cidrList = z.string().transform((v, ctx) => {
  try {
    return splitCidrList(v);
  } catch {
    ctx.addIssue({ code: "custom", message: INVALID_CIDR_MESSAGE });
    return z.NEVER;
  }
});

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  BAZAAR_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .refine(
      (v) => /^(file:|postgres(ql)?:\/\/)/.test(v),
      "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    )
    .optional(),
  BAZAAR_ZONE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-', at most 64")
    .default("default"),
  BAZAAR_ADMIN_USERNAME: z
    .string()
    .regex(/^[a-z][a-z0-9._-]{1,63}$/, "lowercase letters, digits, '.', '_' or '-'")
    .default("admin"),
  BAZAAR_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  BAZAAR_SECRET_KEY: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
  BAZAAR_PUBLIC_URL: z.url("must be an absolute http(s) URL").optional(),
  BAZAAR_SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  BAZAAR_DEFAULT_UMASK: octalUmask.default("177"),
  BAZAAR_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  BAZAAR_LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  BAZAAR_URL_ALLOW: cidrList.default([]),
  BAZAAR_URL_DENY: cidrList.default([]),
  BAZAAR_TRUSTED_PROXIES: cidrList.default([]),
  BAZAAR_WORKER: z
    .enum(["0", "1", "true", "false"])
    .default("1")
    .transform((v) => v === "1" || v === "true"),
  BAZAAR_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  BAZAAR_UPLOAD_DIR: z.string().min(1).optional(),
  BAZAAR_JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  BAZAAR_UPLOAD_EXPIRE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24),
  BAZAAR_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  BAZAAR_JOB_FAILED_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  BAZAAR_MARKET_MONITOR_SECONDS: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 3600)
    .default(300),
  BAZAAR_PUBLIC_MARKETPLACES: z
    .enum(["0", "1", "true", "false"])
    .default("1")
    .transform((v) => v === "1" || v === "true"),
  BAZAAR_LOG_REQUESTS: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
});

export type DatabaseProvider = "sqlite" | "postgresql";

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  dataDir: string;
  databaseUrl: string;
  databaseProvider: DatabaseProvider;
  /** absolute path of the SQLite file when the provider is sqlite */
  sqlitePath: string | null;
  zoneName: string;
  adminUsername: string;
  adminPassword: string | undefined;
  secretKey: string | undefined;
  publicUrl: string | undefined;
  sessionHours: number;
  defaultUmask: string;
  loginMaxFailures: number;
  loginLockMinutes: number;
  logRequests: boolean;
  /** CIDR blocks URL imports may reach although they are private/loopback */
  urlAllow: string[];
  /** CIDR blocks URL imports may never reach */
  urlDeny: string[];
  /** CIDR blocks of reverse proxies whose X-Forwarded-* headers are believed */
  trustedProxies: string[];
  /** run the job worker inside the web server process */
  worker: boolean;
  workerConcurrency: number;
  /** how long a worker's claim on a job lasts without a heartbeat */
  jobLeaseSeconds: number;
  /** an unfinished upload that received no bytes for this long is removed */
  uploadExpireHours: number;
  /** how long SUCCEEDED and CANCELLED jobs are kept after they end */
  jobRetentionDays: number;
  /** how long FAILED jobs (and their error) are kept after they end */
  jobFailedRetentionDays: number;
  /** where resumable browser uploads are kept until they complete */
  uploadDir: string;
  /** how often each marketplace of the local zone is monitored */
  marketMonitorSeconds: number;
  /** a new installation registers the public catalogs (OpenNebula Public, Linux Containers) */
  publicMarketplaces: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly issues: { variable: string; message: string }[]) {
    super("Invalid configuration:\n" + issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n"));
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Treat empty strings as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({
        variable: String(i.path[0] ?? "environment"),
        message: i.message,
      })),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ e.BAZAAR_DATA_DIR);
  const databaseUrl = e.DATABASE_URL ?? `file:${path.join(dataDir, "bazaar.db")}`;
  const provider: DatabaseProvider = databaseUrl.startsWith("file:") ? "sqlite" : "postgresql";
  const sqlitePath =
    provider === "sqlite" ? path.resolve(/*turbopackIgnore: true*/ databaseUrl.slice("file:".length)) : null;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    dataDir,
    databaseUrl,
    databaseProvider: provider,
    sqlitePath,
    zoneName: e.BAZAAR_ZONE,
    adminUsername: e.BAZAAR_ADMIN_USERNAME,
    adminPassword: e.BAZAAR_ADMIN_PASSWORD,
    secretKey: e.BAZAAR_SECRET_KEY,
    publicUrl: e.BAZAAR_PUBLIC_URL?.replace(/\/+$/, ""),
    sessionHours: e.BAZAAR_SESSION_HOURS,
    defaultUmask: e.BAZAAR_DEFAULT_UMASK,
    loginMaxFailures: e.BAZAAR_LOGIN_MAX_FAILURES,
    loginLockMinutes: e.BAZAAR_LOGIN_LOCK_MINUTES,
    logRequests: e.BAZAAR_LOG_REQUESTS,
    urlAllow: e.BAZAAR_URL_ALLOW,
    urlDeny: e.BAZAAR_URL_DENY,
    trustedProxies: e.BAZAAR_TRUSTED_PROXIES,
    worker: e.BAZAAR_WORKER,
    workerConcurrency: e.BAZAAR_WORKER_CONCURRENCY,
    jobLeaseSeconds: e.BAZAAR_JOB_LEASE_SECONDS,
    uploadExpireHours: e.BAZAAR_UPLOAD_EXPIRE_HOURS,
    jobRetentionDays: e.BAZAAR_JOB_RETENTION_DAYS,
    jobFailedRetentionDays: e.BAZAAR_JOB_FAILED_RETENTION_DAYS,
    marketMonitorSeconds: e.BAZAAR_MARKET_MONITOR_SECONDS,
    publicMarketplaces: e.BAZAAR_PUBLIC_MARKETPLACES,
    uploadDir: path.resolve(/*turbopackIgnore: true*/ e.BAZAAR_UPLOAD_DIR ?? path.join(dataDir, "uploads")),
  };
}

const cache = globalThis as unknown as { __bazaarConfig?: Config };

export function getConfig(): Config {
  cache.__bazaarConfig ??= parseConfig(process.env);
  return cache.__bazaarConfig;
}

/** Tests replace the configuration (e.g. to point at their own database). */
export function setConfigForTests(config: Config): void {
  cache.__bazaarConfig = config;
}
