import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

type Factory = Pick<PrismaBetterSQLite3, "provider" | "adapterName" | "connect" | "connectToShadowDb">;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

const BEGIN_IMMEDIATE = { sql: "BEGIN IMMEDIATE", args: [], argTypes: [] };
const ROLLBACK = { sql: "ROLLBACK", args: [], argTypes: [] };

/**
 * The better-sqlite3 adapter with transactions that take SQLite's write lock when they begin.
 *
 * The adapter begins with a plain (deferred) `BEGIN`. In WAL mode a deferred transaction that
 * has read and then writes fails at once with SQLITE_BUSY_SNAPSHOT when another process (a
 * separate `npm run worker`) committed in between: its snapshot is stale, and the busy timeout
 * cannot help, as waiting never makes that snapshot current again. `BEGIN IMMEDIATE` waits
 * (busy timeout) until no other connection writes, so the snapshot it reads is the one it
 * writes on. This costs no concurrency: SQLite has one writer at a time anyway, and the adapter
 * already runs one transaction at a time per process.
 *
 * Every transaction Prisma starts goes through here (interactive `$transaction(async tx => …)`,
 * batches, and the implicit ones of nested writes), and nothing is ever retried. The wrapper
 * uses only the adapter's public interface: the statements of a transaction run on the
 * adapter's one connection, and COMMIT and ROLLBACK are sent by Prisma as queries
 * (`usePhantomQuery: false`), as the adapter's own transactions do.
 */
export function withImmediateTransactions(factory: Factory): Factory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => immediate(await factory.connect()),
    connectToShadowDb: async () => immediate(await factory.connectToShadowDb()),
  };
}

function immediate(adapter: Adapter): Adapter {
  const mutex = createMutex();
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: (script) => adapter.executeScript(script),
    dispose: () => adapter.dispose(),
    async startTransaction(isolationLevel) {
      // SQLite transactions are serializable; the adapter refuses any other level
      if (isolationLevel && isolationLevel !== "SERIALIZABLE") return adapter.startTransaction(isolationLevel);
      const release = await mutex();
      try {
        await adapter.executeRaw(BEGIN_IMMEDIATE);
      } catch (err) {
        release();
        throw err;
      }
      const end = () => {
        release();
        return Promise.resolve();
      };
      const tx: Transaction = {
        provider: adapter.provider,
        adapterName: adapter.adapterName,
        options: { usePhantomQuery: false },
        queryRaw: (query) => adapter.queryRaw(query),
        async executeRaw(query) {
          try {
            return await adapter.executeRaw(query);
          } catch (err) {
            // Prisma sends COMMIT (or ROLLBACK) and calls commit() only if it succeeded. A COMMIT
            // that failed (a deferred foreign key that does not hold, a full disk) may leave the
            // transaction open, and the mutex held: roll back and let the next transaction in,
            // or none could ever start again in this process.
            if (query.sql === "COMMIT" || query.sql === "ROLLBACK") {
              await adapter.executeRaw(ROLLBACK).catch(() => {});
              release();
            }
            throw err;
          }
        },
        commit: end,
        rollback: end,
      };
      return tx;
    },
  };
}

/** One holder at a time, in the order they asked; the release is idempotent. */
function createMutex(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const before = tail;
    tail = before.then(() => held);
    await before;
    return release;
  };
}
