import { getConfig } from "@/lib/config";
import { db, type Prisma } from "@/lib/db/client";

const DAY_MS = 24 * 3_600_000;

/**
 * Deletes a zone's jobs that ended longer ago than their retention: BAZAAR_JOB_RETENTION_DAYS
 * for SUCCEEDED and CANCELLED, BAZAAR_JOB_FAILED_RETENTION_DAYS for FAILED (their error is
 * the only record of why). A job's progress lives on its own row, and nothing references a
 * job (objects show their job only while it is QUEUED or RUNNING, and keep their own error),
 * so an ended job can go whole. Deletes in batches, at most `maxBatches` per call, so one
 * call never holds the database for long; the next turn goes on. Returns how many it deleted.
 */
export async function pruneFinishedJobs(
  zoneId: number,
  opts: { now?: Date; batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  const { now = new Date(), batchSize = 500, maxBatches = 20 } = opts;
  const { jobRetentionDays, jobFailedRetentionDays } = getConfig();
  const expired: Prisma.JobWhereInput = {
    zoneId,
    OR: [
      {
        state: { in: ["SUCCEEDED", "CANCELLED"] },
        finishedAt: { lt: new Date(now.getTime() - jobRetentionDays * DAY_MS) },
      },
      { state: "FAILED", finishedAt: { lt: new Date(now.getTime() - jobFailedRetentionDays * DAY_MS) } },
    ],
  };
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const ids = (
      await db().job.findMany({ where: expired, select: { id: true }, orderBy: { id: "asc" }, take: batchSize })
    ).map((j) => j.id);
    if (ids.length === 0) break;
    // the conditions again, not the ids alone: a row that changed since it was read stays
    const { count } = await db().job.deleteMany({ where: { AND: [{ id: { in: ids } }, expired] } });
    deleted += count;
    if (ids.length < batchSize) break;
  }
  return deleted;
}
