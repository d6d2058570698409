import { db } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { formatBytes } from "@/lib/format/bytes";
import { datastoreDriverFor } from "./drivers/registry";

const MB = 1024 * 1024;

type DatastoreRow = { id: number; driver: string; basePath: string; limitMb: number | null };

/** What the backend itself reports (a filesystem's statfs), or why it could not be measured. */
export type BackendCapacity = { totalBytes: number; freeBytes: number } | { error: string };

/**
 * Measures the backend. Done before a transaction that reserves (statfs is not a database
 * read: a SQLite write lock held across it would keep other processes waiting).
 */
export async function measureBackend(ds: DatastoreRow): Promise<BackendCapacity> {
  try {
    const driver = datastoreDriverFor(ds);
    if (!driver.capacity) throw new Error(`the ${driver.name} driver cannot measure its capacity`);
    await driver.init();
    return await driver.capacity();
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * Capacity as OpenNebula reports it: total and free from the backend, used from the images
 * the datastore holds; with LIMIT_MB the limit caps both. Free space leaves out what transfers
 * under way have reserved (but for the images in `exceptImageIds`: a transfer measuring for
 * itself). A backend that cannot be measured is reported with its error rather than hidden.
 * `backend` is measured now unless given.
 */
export async function measureCapacity(
  ds: DatastoreRow,
  opts: { db?: DbLike; exceptImageIds?: number[]; backend?: BackendCapacity } = {},
) {
  const client = opts.db ?? db();
  const backend = opts.backend ?? (await measureBackend(ds));
  // one after the other: a transaction's queries share one connection
  const agg = await client.image.aggregate({
    where: { datastoreId: ds.id },
    _sum: { sizeBytes: true, reservedBytes: true },
    _count: true,
  });
  const own = opts.exceptImageIds?.length
    ? await client.image.aggregate({
        where: { id: { in: opts.exceptImageIds }, datastoreId: ds.id },
        _sum: { reservedBytes: true },
      })
    : null;
  const usedBytes = Number(agg._sum.sizeBytes ?? 0);
  const reservedBytes = Number(agg._sum.reservedBytes ?? 0) - Number(own?._sum.reservedBytes ?? 0);
  const imageCount = agg._count;
  const limitBytes = ds.limitMb === null ? null : ds.limitMb * MB;
  if ("error" in backend)
    return {
      capacity: { totalBytes: 0, freeBytes: 0, usedBytes, reservedBytes, limitBytes, error: backend.error },
      imageCount,
    };
  const totalBytes = limitBytes ?? backend.totalBytes;
  const room = Math.min(backend.freeBytes, limitBytes === null ? Infinity : limitBytes - usedBytes);
  const freeBytes = Math.max(0, room - reservedBytes);
  return { capacity: { totalBytes, freeBytes, usedBytes, reservedBytes, limitBytes, error: null }, imageCount };
}

/** The message every "does not fit" error uses. */
export function noSpaceMessage(name: string, need: number, free: number): string {
  return `not enough space in datastore ${name}: need ${formatBytes(need)}, free ${formatBytes(free)}`;
}
