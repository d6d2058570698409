import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PROJECT_ROOT } from "../helpers/routes";

/**
 * Separate portal processes on a database of the test's own, for tests of what happens when
 * several instances share one database: a new, empty database of the project's kind
 * (BAZAAR_TEST_DB), queried with plain SQL from outside the portal's client.
 */
export interface FreshDatabase {
  /** DATABASE_URL for the instances */
  url: string;
  /** a data directory for them to share */
  dataDir: string;
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

async function onPostgres<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bazaar-instances-"));
  if (process.env.BAZAAR_TEST_DB === "sqlite") {
    const file = path.join(dataDir, "bazaar.db");
    return {
      url: `file:${file}`,
      dataDir,
      async query<T>(sql: string) {
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(sql).all() as T[];
        } finally {
          db.close();
        }
      },
      async drop() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const maintenanceUrl = process.env.BAZAAR_TEST_PG_URL!;
  const name = `bazaar_instances_${randomBytes(6).toString("hex")}`;
  await onPostgres(maintenanceUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const u = new URL(maintenanceUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    url,
    dataDir,
    query: <T>(sql: string) => onPostgres(url, async (c) => (await c.query(sql)).rows as T[]),
    async drop() {
      await onPostgres(maintenanceUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A TypeScript script of this repository in a process of its own, as `npm run worker` starts one. */
export function spawnScript(script: string, env: Record<string, string | undefined>): ChildProcess {
  return spawn("node", ["--conditions=react-server", "--import", "tsx", script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs a script to its end: its exit code and what it wrote (stdout, then stderr). */
export function runScript(
  script: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  const child = spawnScript(script, env);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output: stdout + stderr }));
  });
}
