import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { Config } from "@/lib/config";
import { withStartupLock } from "./startup-lock";

/**
 * Applies the checked-in SQL migrations (prisma/migrations/<provider>/<name>/migration.sql)
 * in name order and records them in `_bazaar_migrations`. One runner for both providers:
 * `prisma migrate deploy` cannot run on PostgreSQL with the JS engine (prisma/orm#27403).
 * An applied migration whose file changed afterwards is an error, never silently re-run.
 * Instances that start at once take turns (lib/db/startup-lock.ts).
 */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(provider: Config["databaseProvider"]): string {
  return path.join(
    /*turbopackIgnore: true*/ process.cwd(),
    "prisma",
    "migrations",
    provider === "postgresql" ? "postgres" : "sqlite",
  );
}

export function loadMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`No migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function checkApplied(applied: Map<string, string>, m: Migration): boolean {
  const sum = applied.get(m.name);
  if (sum === undefined) return false;
  if (sum !== m.checksum) {
    throw new Error(`Migration ${m.name} was changed after it was applied; write a new migration instead`);
  }
  return true;
}

/** Applies the pending migrations under the start-up lock, so other instances may be starting meanwhile. */
export async function migrate(config: Config, log: (line: string) => void = () => {}): Promise<string[]> {
  return withStartupLock(config, () => applyMigrations(config, log), log);
}

/** Applies the pending migrations; the caller holds the start-up lock (lib/db/startup-lock.ts). */
export async function applyMigrations(config: Config, log: (line: string) => void = () => {}): Promise<string[]> {
  const migrations = loadMigrations(migrationsDir(config.databaseProvider));
  return config.databaseProvider === "sqlite"
    ? migrateSqlite(config.sqlitePath!, migrations, log)
    : migratePostgres(config.databaseUrl, migrations, log);
}

async function migrateSqlite(file: string, migrations: Migration[], log: (l: string) => void) {
  const { default: Database } = await import("better-sqlite3");
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    db.exec(
      "CREATE TABLE IF NOT EXISTS _bazaar_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
    const rows = db.prepare("SELECT name, checksum FROM _bazaar_migrations").all() as {
      name: string;
      checksum: string;
    }[];
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      if (checkApplied(applied, m)) continue;
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare("INSERT INTO _bazaar_migrations (name, checksum, applied_at) VALUES (?, ?, ?)").run(
          m.name,
          m.checksum,
          new Date().toISOString(),
        );
      }).immediate();
      log(`applied migration ${m.name}`);
      done.push(m.name);
    }
    return done;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[], log: (l: string) => void) {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      "CREATE TABLE IF NOT EXISTS _bazaar_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(
      "SELECT name, checksum FROM _bazaar_migrations",
    );
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      if (checkApplied(applied, m)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO _bazaar_migrations (name, checksum, applied_at) VALUES ($1, $2, now())", [
          m.name,
          m.checksum,
        ]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      log(`applied migration ${m.name}`);
      done.push(m.name);
    }
    return done;
  } finally {
    await client.end();
  }
}
