import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { defineConfig, type TestProjectInlineConfiguration, type ViteUserConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));
const integrationFiles = ["tests/integration/**/*.test.ts"];
/** The server the postgres project creates its databases on (trust authentication). */
const DEFAULT_TEST_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

/** Null when PostgreSQL answers at `url`; otherwise why not. */
async function probePostgres(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Three projects: `unit` (pure logic next to the code, no database) and `sqlite` / `postgres`,
 * which run the same integration files, each file against a database of its own
 * (tests/setup/db.ts). Without a reachable PostgreSQL the postgres project is skipped with the
 * reason printed, except under CI, where a missing database must fail the run.
 */
export default defineConfig(async (): Promise<ViteUserConfig> => {
  const pgUrl = process.env.BAZAAR_TEST_PG_URL || DEFAULT_TEST_PG_URL;
  // Vitest loads this file again for each project that extends it: probe and warn once.
  const once = globalThis as { __bazaarPgProbe?: Promise<string | null> };
  const first = once.__bazaarPgProbe === undefined;
  once.__bazaarPgProbe ??= probePostgres(pgUrl);
  const pgProblem = await once.__bazaarPgProbe;
  if (pgProblem) {
    const reason = `PostgreSQL is not reachable at ${pgUrl} (${pgProblem})`;
    if (process.env.CI) throw new Error(`${reason}; CI must run the postgres integration tests`);
    if (first)
      console.warn(`\n[vitest] postgres project SKIPPED: ${reason}. Start PostgreSQL or set BAZAAR_TEST_PG_URL.\n`);
  }

  const integration = (db: "sqlite" | "postgres"): TestProjectInlineConfiguration => ({
    extends: true,
    test: {
      name: db,
      include: integrationFiles,
      setupFiles: ["tests/setup/db.ts"],
      env: { BAZAAR_TEST_DB: db, BAZAAR_TEST_PG_URL: pgUrl },
      // creating a database and applying migrations takes a moment on PostgreSQL
      hookTimeout: 60_000,
      testTimeout: 30_000,
    },
  });

  return {
    resolve: {
      alias: [
        { find: /^@\//, replacement: `${root}/` },
        // lib/db/client.ts guards against client bundles; tests are neither.
        { find: /^server-only$/, replacement: path.join(root, "tests/setup/server-only.ts") },
      ],
    },
    test: {
      pool: "forks",
      projects: [
        {
          extends: true,
          test: { name: "unit", include: ["lib/**/*.test.ts", "components/**/*.test.ts"], environment: "node" },
        },
        integration("sqlite"),
        pgProblem
          ? {
              extends: true,
              test: {
                name: "postgres",
                include: ["tests/setup/postgres-unavailable.test.ts"],
                env: { BAZAAR_TEST_PG_SKIPPED: `PostgreSQL is not reachable at ${pgUrl} (${pgProblem})` },
              },
            }
          : integration("postgres"),
      ],
    },
  };
});
