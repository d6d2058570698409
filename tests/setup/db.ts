import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, vi } from "vitest";
import { getConfig, parseConfig, setConfigForTests } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { boot } from "@/lib/boot/boot";
import { db } from "@/lib/db/client";
import { seedZone } from "@/lib/seed/seed-base";
import { resetLocalZoneCacheForTests } from "@/lib/zones/local-zone";
import { resetSecretKeyCacheForTests } from "@/lib/crypto/secret-key";
import { ADMIN_PASSWORD, ADMIN_USERNAME, LOGIN_MAX_FAILURES } from "../helpers/fixtures";

/**
 * Every integration test file owns a fresh database, so files run in parallel and never see
 * each other's rows: a temporary SQLite file, or a PostgreSQL database created here and
 * dropped afterwards. The database is migrated and seeded by the real boot().
 */

// New password hashes cost scrypt N=2^10 here instead of 2^15 (~300 ms each on a busy CI
// machine), which would dominate the suite. The stored format carries its parameters, so
// verifyPassword runs unchanged; the production parameters are checked in
// lib/auth/password.test.ts.
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();
  const { randomBytes, scrypt } = await import("node:crypto");
  const { promisify } = await import("node:util");
  const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
  return {
    ...real,
    hashPassword: async (password: string) => {
      const salt = randomBytes(16);
      const key = await scryptAsync(password.normalize("NFKC"), salt, 32, { N: 2 ** 10, r: 8, p: 1 });
      return ["scrypt", 10, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
    },
  };
});

const kind = process.env.BAZAAR_TEST_DB;
if (kind !== "sqlite" && kind !== "postgres") {
  throw new Error(`BAZAAR_TEST_DB must be sqlite or postgres (got ${kind}); run the suite with vitest --project`);
}
// set by vitest.config.ts, which checked that PostgreSQL answers there
const maintenanceUrl = process.env.BAZAAR_TEST_PG_URL;

let dataDir: string | undefined;
let pgDatabase: string | undefined;

async function onMaintenanceDb(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "bazaar-test-"));
  let url: string;
  if (kind === "postgres") {
    pgDatabase = `bazaar_test_${randomBytes(6).toString("hex")}`;
    await onMaintenanceDb(
      `CREATE DATABASE "${pgDatabase}"`,
      // a throwaway database needs no durability: commits need not wait for the WAL flush
      `ALTER DATABASE "${pgDatabase}" SET synchronous_commit = off`,
    );
    const u = new URL(maintenanceUrl!);
    u.pathname = `/${pgDatabase}`;
    url = u.toString();
  } else {
    url = `file:${path.join(dataDir, "bazaar.db")}`;
  }
  setConfigForTests(
    parseConfig({
      NODE_ENV: "test",
      DATABASE_URL: url,
      BAZAAR_DATA_DIR: dataDir,
      BAZAAR_ADMIN_USERNAME: ADMIN_USERNAME,
      BAZAAR_ADMIN_PASSWORD: ADMIN_PASSWORD,
      BAZAAR_LOGIN_MAX_FAILURES: String(LOGIN_MAX_FAILURES),
      BAZAAR_LOGIN_LOCK_MINUTES: "15",
      // a test reaching the internet would fail offline: only the files that test the public
      // catalogs register them (setting this before their hooks run) and point them at fixtures
      BAZAAR_PUBLIC_MARKETPLACES: process.env.BAZAAR_PUBLIC_MARKETPLACES ?? "false",
    }),
  );
  resetLocalZoneCacheForTests();
  resetSecretKeyCacheForTests();
  await disconnectDb();
  await boot(() => {});
  // the zone is reached where the test client calls the portal (tests/helpers/api.ts), as an
  // instance's BAZAAR_PUBLIC_URL would say; the variable itself is left unset, as it would
  // also decide the session cookie's Secure flag
  await seedZone(db(), getConfig().zoneName, { set: "http://localhost" });
});

afterAll(async () => {
  await disconnectDb();
  resetLocalZoneCacheForTests();
  resetSecretKeyCacheForTests();
  if (pgDatabase) await onMaintenanceDb(`DROP DATABASE IF EXISTS "${pgDatabase}" WITH (FORCE)`);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
