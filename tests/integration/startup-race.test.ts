import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { migrationsDir } from "@/lib/db/migrate";
import { freshDatabase, runScript, type FreshDatabase } from "../support/instances";

/**
 * Several instances (web servers, `npm run worker`) started at once on one database, new or
 * not: every one starts, and the first start's work (migrations, the zone, the built-in groups,
 * the admin and the public marketplaces) is done exactly once. Each project runs it on a new
 * database of its kind; the instances are real processes sharing one data directory.
 */
const INSTANCES = 3;
const ADMIN = "root";
const GENERATED = new RegExp(`created admin account "${ADMIN}" with password: (\\S+)`);
const FROM_ENV = `created admin account "${ADMIN}" with the password from BAZAAR_ADMIN_PASSWORD`;

let database: FreshDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

async function startAtOnce(db: FreshDatabase, env: Record<string, string | undefined> = {}): Promise<string> {
  const runs = await Promise.all(
    Array.from({ length: INSTANCES }, () =>
      runScript("tests/support/boot-once.ts", {
        DATABASE_URL: db.url,
        BAZAAR_DATA_DIR: db.dataDir,
        BAZAAR_ZONE: "race",
        BAZAAR_ADMIN_USERNAME: ADMIN,
        BAZAAR_ADMIN_PASSWORD: undefined,
        BAZAAR_SECRET_KEY: undefined,
        // registered only, never fetched at start
        BAZAAR_PUBLIC_MARKETPLACES: "1",
        ...env,
      }),
    ),
  );
  // without the lines of minified library code that a Prisma error quotes
  const readable = (output: string) => output.replace(/^.{400,}$/gm, "…");
  for (const run of runs) expect(run.code, readable(run.output)).toBe(0);
  return runs.map((r) => r.output).join("\n");
}

/** What the first start creates, as plain rows: equal after every later start. */
async function seeded(db: FreshDatabase) {
  const names = async (sql: string) => (await db.query<{ name: string }>(sql)).map((r) => r.name);
  const count = async (table: string) =>
    Number((await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM "${table}"`))[0].n);
  return {
    migrations: await names(`SELECT name FROM _bazaar_migrations ORDER BY name`),
    zones: await names(`SELECT "name" FROM "Zone" ORDER BY "name"`),
    groups: await names(`SELECT "name" FROM "Group" ORDER BY "name"`),
    admins: await names(
      `SELECT u."username" AS name FROM "User" u JOIN "GroupMembership" m ON m."userId" = u."id"
       JOIN "Group" g ON g."id" = m."groupId" WHERE g."name" = 'admins'`,
    ),
    marketplaces: await names(`SELECT "name" FROM "Marketplace" ORDER BY "name"`),
    rows: {
      users: await count("User"),
      memberships: await count("GroupMembership"),
      createRights: await count("GroupCreateRight"),
      auditEvents: await count("AuditEvent"),
    },
  };
}

const adminHash = async (db: FreshDatabase) =>
  (await db.query<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User" WHERE "username" = '${ADMIN}'`))[0]
    .passwordHash;

describe(`${INSTANCES} instances starting at once`, () => {
  it("on a new database: one migrates and seeds, one admin is created and its password printed once", async () => {
    database = await freshDatabase();
    const output = await startAtOnce(database);

    const printed = [...output.matchAll(new RegExp(GENERATED, "g"))].map((m) => m[1]);
    expect(printed, output).toHaveLength(1);
    const after = await seeded(database);
    expect(after.migrations).toEqual(
      readdirSync(migrationsDir(process.env.BAZAAR_TEST_DB === "postgres" ? "postgresql" : "sqlite")).sort(),
    );
    expect(after.zones).toEqual(["race"]);
    expect(after.groups).toEqual(["admins", "users"]);
    expect(after.admins).toEqual([ADMIN]);
    expect(after.marketplaces).toEqual(["Linux Containers", "OpenNebula Public"]);
    expect(after.rows.users).toBe(1);
    expect(after.rows.auditEvents).toBe(1); // the admin's creation
    expect(await verifyPassword(printed[0], await adminHash(database))).toBe(true);
    expect(readdirSync(database.dataDir).filter((f) => f === "secret.key")).toHaveLength(1);

    // and all at once again, on the now existing database: nothing is created twice
    const again = await startAtOnce(database);
    expect(again).not.toMatch(/created admin account/);
    expect(await seeded(database)).toEqual(after);
  }, 120_000);

  it("on a new database with BAZAAR_ADMIN_PASSWORD: the admin gets that password, announced once", async () => {
    database = await freshDatabase();
    const password = "from-the-environment-1";
    const output = await startAtOnce(database, { BAZAAR_ADMIN_PASSWORD: password, BAZAAR_PUBLIC_MARKETPLACES: "0" });

    expect(output.split(FROM_ENV).length - 1, output).toBe(1);
    expect(output).not.toMatch(GENERATED);
    const after = await seeded(database);
    expect(after.admins).toEqual([ADMIN]);
    expect(after.groups).toEqual(["admins", "users"]);
    expect(after.marketplaces).toEqual([]);
    expect(await verifyPassword(password, await adminHash(database))).toBe(true);
  }, 120_000);
});
