import { db } from "@/lib/db/client";
import { formatBytes } from "@/lib/format/bytes";
import { datastoreDriverFor } from "./drivers/registry";

const MB = 1024 * 1024;

/**
 * Capacity as OpenNebula reports it: total and free from the backend, used from the images
 * the datastore holds; with LIMIT_MB the limit caps both. A backend that cannot be measured
 * is reported with its error rather than hidden.
 */
export async function measureCapacity(ds: { id: number; driver: string; basePath: string; limitMb: number | null }) {
  const agg = await db().image.aggregate({ where: { datastoreId: ds.id }, _sum: { sizeBytes: true }, _count: true });
  const usedBytes = Number(agg._sum.sizeBytes ?? 0);
  const imageCount = agg._count;
  const limitBytes = ds.limitMb === null ? null : ds.limitMb * MB;
  try {
    const driver = datastoreDriverFor(ds);
    if (!driver.capacity) throw new Error(`the ${driver.name} driver cannot measure its capacity`);
    await driver.init();
    const backend = await driver.capacity();
    const totalBytes = limitBytes ?? backend.totalBytes;
    const freeBytes = Math.max(0, Math.min(backend.freeBytes, limitBytes === null ? Infinity : limitBytes - usedBytes));
    return { capacity: { totalBytes, freeBytes, usedBytes, limitBytes, error: null }, imageCount };
  } catch (err) {
    return {
      capacity: { totalBytes: 0, freeBytes: 0, usedBytes, limitBytes, error: (err as Error).message },
      imageCount,
    };
  }
}

/** The message every "does not fit" error uses. */
export function noSpaceMessage(name: string, need: number, free: number): string {
  return `not enough space in datastore ${name}: need ${formatBytes(need)}, free ${formatBytes(free)}`;
}
