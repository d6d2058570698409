import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { getConfig, type Config } from "@/lib/config";
import { withImmediateTransactions } from "./immediate-transactions";
import { PrismaClient as PgClient } from "./generated/postgres";
import { PrismaClient as SqliteClient, Prisma } from "./generated/sqlite";

/**
 * The one Prisma client. SQLite and PostgreSQL each have a generated client bound to their
 * provider; both come from prisma/models.prisma, so the SQLite client's types describe both.
 */
export type Db = SqliteClient;
export type Tx = Prisma.TransactionClient;
export { Prisma };

function createClient(config: Config): Db {
  if (config.databaseProvider === "sqlite") {
    // a worker process may write the same file: see immediate-transactions.ts
    const adapter = withImmediateTransactions(
      new PrismaBetterSQLite3({ url: `file:${config.sqlitePath}`, timeout: 10_000 }),
    );
    return new SqliteClient({ adapter });
  }
  const adapter = new PrismaPg({ connectionString: config.databaseUrl });
  return new PgClient({ adapter }) as unknown as Db;
}

const store = globalThis as unknown as { __bazaarDb?: Db };

/** The shared client, created on first use (cached on globalThis so dev reloads reuse it). */
export function db(): Db {
  store.__bazaarDb ??= createClient(getConfig());
  return store.__bazaarDb;
}

export async function disconnectDb(): Promise<void> {
  const client = store.__bazaarDb;
  store.__bazaarDb = undefined;
  await client?.$disconnect();
}
