import type { DbLike } from "@/lib/auth/context";
import type { Prisma } from "@/lib/db/client";

/** Whose usage a quota limits: one user (what they own) or one group (what its objects are). */
export type QuotaScope = { userId: number } | { groupId: number };

export interface DatastoreUsage {
  /** stored bytes plus the bytes held for transfers under way */
  bytes: number;
  /** images, whatever their state (an image in ERROR counts until it is deleted, as in OpenNebula) */
  images: number;
}

const imagesOf = (
  scope: QuotaScope,
  datastoreId: number | null,
  exceptImageIds: number[] = [],
): Prisma.ImageWhereInput => ({
  ...("userId" in scope ? { ownerId: scope.userId } : { groupId: scope.groupId }),
  ...(datastoreId === null ? {} : { datastoreId }),
  ...(exceptImageIds.length ? { id: { notIn: exceptImageIds } } : {}),
});

/** Usage of one datastore (or of all: null) by a user or group. */
export async function datastoreUsage(
  db: DbLike,
  scope: QuotaScope,
  datastoreId: number | null,
  exceptImageIds: number[] = [],
): Promise<DatastoreUsage> {
  const agg = await db.image.aggregate({
    where: imagesOf(scope, datastoreId, exceptImageIds),
    _sum: { sizeBytes: true, reservedBytes: true },
    _count: true,
  });
  return { bytes: Number(agg._sum.sizeBytes ?? 0) + Number(agg._sum.reservedBytes ?? 0), images: agg._count };
}

/**
 * Transfers under way: every job a user started that has not finished (imports, uploads being
 * ingested, publishes, copies), and every upload still waiting for or receiving its bytes. A
 * group's are those of the users whose primary group it is.
 */
export async function transfersUnderWay(db: DbLike, scope: QuotaScope): Promise<number> {
  const jobs = await db.job.count({
    where: {
      state: { in: ["QUEUED", "RUNNING"] },
      ...("userId" in scope ? { createdById: scope.userId } : { createdBy: { primaryGroupId: scope.groupId } }),
    },
  });
  const uploads = await db.image.count({ where: { ...imagesOf(scope, null), origin: "UPLOAD", state: "INIT" } });
  return jobs + uploads;
}

/** Per-datastore usage of every datastore where the scope has images. */
export async function usageByDatastore(db: DbLike, scope: QuotaScope): Promise<Map<number, DatastoreUsage>> {
  const rows = await db.image.groupBy({
    by: ["datastoreId"],
    where: imagesOf(scope, null),
    _sum: { sizeBytes: true, reservedBytes: true },
    _count: { _all: true },
  });
  return new Map(
    rows.map((r) => [
      r.datastoreId,
      { bytes: Number(r._sum.sizeBytes ?? 0) + Number(r._sum.reservedBytes ?? 0), images: r._count._all },
    ]),
  );
}
