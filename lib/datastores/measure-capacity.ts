import { db } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { formatBytes } from "@/lib/format/bytes";
import { datastoreDriverFor } from "./drivers/registry";

const MB = 1024 * 1024;

/**
 * Capacity as OpenNebula reports it: total and free from the backend, used from the images
 * the datastore holds; with LIMIT_MB the limit caps both. Free space leaves out what transfers
 * under way have reserved (but for the images in `exceptImageIds`: a transfer measuring for
 * itself). A backend that cannot be measured is reported with its error rather than hidden.
 */
export async function measureCapacity(
  ds: { id: number; driver: string; basePath: string; limitMb: number | null },
  opts: { db?: DbLike; exceptImageIds?: number[] } = {},
) {
  const client = opts.db ?? db();
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
  try {
    const driver = datastoreDriverFor(ds);
    if (!driver.capacity) throw new Error(`the ${driver.name} driver cannot measure its capacity`);
    await driver.init();
    const backend = await driver.capacity();
    const totalBytes = limitBytes ?? backend.totalBytes;
    const room = Math.min(backend.freeBytes, limitBytes === null ? Infinity : limitBytes - usedBytes);
    const freeBytes = Math.max(0, room - reservedBytes);
    return { capacity: { totalBytes, freeBytes, usedBytes, reservedBytes, limitBytes, error: null }, imageCount };
  } catch (err) {
    return {
      capacity: { totalBytes: 0, freeBytes: 0, usedBytes, reservedBytes, limitBytes, error: (err as Error).message },
      imageCount,
    };
  }
}

/** The message every "does not fit" error uses. */
export function noSpaceMessage(name: string, need: number, free: number): string {
  return `not enough space in datastore ${name}: need ${formatBytes(need)}, free ${formatBytes(free)}`;
}
