import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Config } from "@/lib/config";

/** The PostgreSQL advisory lock key; earlier versions took it around their migrations alone. */
const PG_STARTUP_LOCK = 7283001;
const SQLITE_POLL_MS = 100;

/**
 * Runs `fn` while no other instance sharing the database runs its own: start-up (migrations
 * and first-start seeding) happens in one instance at a time, so any number of instances can
 * start at once and the later ones find the work done.
 *
 * PostgreSQL: a session advisory lock (per database), which the server drops with the session
 * if the process dies. SQLite: a write transaction on a small lock database next to the
 * database file (`<file>-startup.lock`); the operating system drops its file lock with the
 * process, so a crash never leaves a stale lock. It is a file of its own because the
 * migrations and the seed write the real database through other connections, which a write
 * lock held there would block. The lock file is never removed: removing it while another
 * process waits on it would let two instances in at once.
 */
export async function withStartupLock<T>(
  config: Config,
  fn: () => Promise<T>,
  log: (line: string) => void = () => {},
): Promise<T> {
  return config.databaseProvider === "sqlite"
    ? withSqliteLock(`${config.sqlitePath!}-startup.lock`, fn, log)
    : withPostgresLock(config.databaseUrl, fn, log);
}

const WAITING = "another instance is starting on this database; waiting for it";

async function withSqliteLock<T>(file: string, fn: () => Promise<T>, log: (line: string) => void): Promise<T> {
  const { default: Database } = await import("better-sqlite3");
  mkdirSync(path.dirname(file), { recursive: true });
  // no busy timeout: better-sqlite3 would wait for the lock synchronously, stalling the process
  const lock = new Database(file, { timeout: 0 });
  try {
    for (let waited = false; ;) {
      try {
        lock.exec("BEGIN IMMEDIATE");
        break;
      } catch (err) {
        if ((err as { code?: unknown }).code !== "SQLITE_BUSY") throw err;
        if (!waited) log(WAITING);
        waited = true;
        await new Promise((r) => setTimeout(r, SQLITE_POLL_MS));
      }
    }
    return await fn();
  } finally {
    lock.close(); // rolls the lock's transaction back, which releases it
  }
}

async function withPostgresLock<T>(url: string, fn: () => Promise<T>, log: (line: string) => void): Promise<T> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url });
  // a lost connection drops the lock (the work under it is idempotent); it must not end the process
  client.on("error", (err) => log(`the start-up lock's connection failed: ${err.message}`));
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      PG_STARTUP_LOCK,
    ]);
    if (!rows[0].locked) {
      log(WAITING);
      await client.query("SELECT pg_advisory_lock($1)", [PG_STARTUP_LOCK]);
    }
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PG_STARTUP_LOCK]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
