import { watch, type FSWatcher } from "node:fs";
import { open, utimes } from "node:fs/promises";
import { getConfig } from "@/lib/config";
import type { DbLike } from "@/lib/auth/context";

/**
 * Wakes the workers when a job is queued, so it starts at once rather than at their next poll.
 *
 * - In this process (the web server runs its worker in-process): a signal to every worker of
 *   the zone. The registry lives on globalThis, as the database client does: Next.js may load
 *   this module once per bundle (the start hook's and the route handlers').
 * - Across processes on PostgreSQL: `NOTIFY` on JOBS_CHANNEL, which each worker `LISTEN`s to
 *   (see listenForJobs). PostgreSQL delivers a notification sent in a transaction only when it
 *   commits, and never when it rolls back.
 * - Across processes on SQLite, which share one database file and so one machine: a wake file
 *   per zone beside the database (`<database>-jobs-<zone>.wake`), whose modification time is
 *   touched; each worker watches it (inotify on Linux, see watchJobFile). SQLite has no hook
 *   after a commit, so the file is touched when the job is written, and a woken worker looks
 *   again shortly after (WAKE_AGAIN_MS), by which time the enqueuing transaction has committed;
 *   a longer transaction leaves the job to the poll, as before.
 */
export const JOBS_CHANNEL = "bazaar_jobs";

type Listener = (zoneId: number) => void;
const store = globalThis as unknown as { __bazaarJobListeners?: Set<Listener> };
const listeners = () => (store.__bazaarJobListeners ??= new Set());

/** Calls `fn` with the zone of each job queued in this process; returns the unsubscribe. */
export function onJobQueued(fn: Listener): () => void {
  listeners().add(fn);
  return () => void listeners().delete(fn);
}

/**
 * Tells the workers that a job of `zoneId` was queued through `client`. Inside a transaction
 * the in-process workers are told at once too, and still claim the job only once it is
 * committed: on SQLite the claim's conditional update runs in a transaction of its own (Prisma
 * wraps updateMany in one), and this process's transactions take turns on its one connection
 * (lib/db/immediate-transactions.ts), so it waits for this one to end; on PostgreSQL they
 * cannot see the job before the commit, which the notification then announces.
 */
export async function announceJob(client: DbLike, zoneId: number): Promise<void> {
  const config = getConfig();
  if (config.databaseProvider === "postgresql")
    await client.$executeRaw`SELECT pg_notify(${JOBS_CHANNEL}, ${String(zoneId)})`;
  else if (config.sqlitePath) await touchWakeFile(wakeFileOf(config.sqlitePath, zoneId));
  for (const fn of listeners()) fn(zoneId);
}

/** The file the workers of `zoneId` watch, beside the SQLite database they share. */
export const wakeFileOf = (sqlitePath: string, zoneId: number) => `${sqlitePath}-jobs-${zoneId}.wake`;

/** Creates the file if need be and touches it; a failure only leaves the job to the poll. */
async function touchWakeFile(file: string): Promise<void> {
  try {
    await (await open(file, "a")).close();
    const now = new Date();
    await utimes(file, now, now);
  } catch {
    // the poll finds the job
  }
}

/** How long after a wake through the file a worker looks again (the enqueuing transaction's commit). */
export const WAKE_AGAIN_MS = 100;

/**
 * Watches the wake file of `zoneId` (SQLite): `onJob` is called when another process queues a
 * job of the zone, and again WAKE_AGAIN_MS later. Resolves once watching; without a watcher
 * (the file cannot be made or watched) the poll still finds every job.
 */
export async function watchJobFile(opts: {
  sqlitePath: string;
  zoneId: number;
  onJob: () => void;
  log: (line: string) => void;
}): Promise<{ close(): void }> {
  const file = wakeFileOf(opts.sqlitePath, opts.zoneId);
  let watcher: FSWatcher | null = null;
  let again: NodeJS.Timeout | undefined;
  try {
    await (await open(file, "a")).close();
    watcher = watch(file, { persistent: false }, () => {
      opts.onJob();
      clearTimeout(again);
      again = setTimeout(opts.onJob, WAKE_AGAIN_MS);
    });
    watcher.on("error", (err) => {
      opts.log(`job wake file lost (${err.message}); polling`);
      watcher?.close();
    });
  } catch (err) {
    opts.log(`cannot watch ${file} (${(err as Error).message}); polling`);
  }
  return {
    close() {
      clearTimeout(again);
      watcher?.close();
    },
  };
}

/**
 * Listens on PostgreSQL for jobs queued by any process (a connection of its own: a pooled one
 * would drop the LISTEN when it goes back to the pool). The connection comes back after a
 * failure; `onJob` is also called then, as a job may have been queued while it was down.
 * Resolves once listening (or once the first attempt failed: the poll still finds every job).
 */
export async function listenForJobs(opts: {
  zoneId: number;
  onJob: () => void;
  log: (line: string) => void;
}): Promise<{ close(): Promise<void> }> {
  const { default: pg } = await import("pg");
  let closed = false;
  let client: InstanceType<typeof pg.Client> | null = null;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (again: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: getConfig().databaseUrl });
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = null;
      c.end().catch(() => {});
      if (closed) return;
      opts.log(`job notifications lost (${err?.message ?? "connection ended"}); polling until they are back`);
      retry = setTimeout(() => void connect(true), RECONNECT_MS);
    };
    client = c;
    c.on("error", lost);
    c.on("end", () => lost());
    c.on("notification", (n) => {
      if (n.channel === JOBS_CHANNEL && n.payload === String(opts.zoneId)) opts.onJob();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${JOBS_CHANNEL}`);
      if (closed) await c.end();
      else if (again) opts.onJob();
    } catch (err) {
      lost(err as Error);
    }
  };

  await connect(false);
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

const RECONNECT_MS = 5_000;
