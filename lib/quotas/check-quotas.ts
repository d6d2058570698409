import type { DbLike } from "@/lib/auth/context";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { formatBytes } from "@/lib/format/bytes";
import { datastoreUsage, transfersUnderWay, type QuotaScope } from "./quota-usage";

/** What a transfer is about to add: bytes and images in one datastore, and itself. */
export interface QuotaNeed {
  /** whose quotas apply (null: not this user's or not this group's, as in a chgrp) */
  userId: number | null;
  groupId: number | null;
  /** the datastore its images go to (null: a transfer that stores no image, such as a publish) */
  datastoreId: number | null;
  bytes: number;
  images: number;
  /** the request field the error names (the size, the URL, the datastore) */
  field: string;
  /** images whose reservation is already counted (a job checking its own image) */
  exceptImageIds?: number[];
  /** transfers it starts: 1 unless it moves no bytes (a change of owner) */
  transfers?: number;
}

/**
 * Call first in the transaction. Takes the row locks that make "check, then reserve" one step on PostgreSQL: two transfers of
 * one user, group or datastore check one after the other, each seeing what the other reserved.
 * (SQLite transactions already begin with its one write lock.) Locked in one order: user,
 * group, datastore.
 */
export async function lockQuotaRows(
  tx: DbLike,
  need: { userId: number | null; groupId: number | null; datastoreId: number | null },
) {
  if (getConfig().databaseProvider !== "postgresql") return;
  // NO KEY UPDATE: reservations wait for each other, but rows that merely reference these
  // (a new image or app holds KEY SHARE on its owner, group and datastore) never wait or
  // deadlock on them
  if (need.userId !== null)
    await tx.$queryRawUnsafe(`SELECT id FROM "User" WHERE id = $1 FOR NO KEY UPDATE`, need.userId);
  if (need.groupId !== null)
    await tx.$queryRawUnsafe(`SELECT id FROM "Group" WHERE id = $1 FOR NO KEY UPDATE`, need.groupId);
  if (need.datastoreId !== null)
    await tx.$queryRawUnsafe(`SELECT id FROM "Datastore" WHERE id = $1 FOR NO KEY UPDATE`, need.datastoreId);
}

/** The quota rows of a user and a group that bear on a datastore (null: the all-datastores rows only). */
async function quotaRows(db: DbLike, need: Pick<QuotaNeed, "userId" | "groupId" | "datastoreId">) {
  const whose = [
    ...(need.userId === null ? [] : [{ userId: need.userId }]),
    ...(need.groupId === null ? [] : [{ groupId: need.groupId }]),
  ];
  return db.quota.findMany({
    where: {
      OR: whose.length ? whose : [{ id: -1 }],
      AND: [{ OR: [{ datastoreId: null }, ...(need.datastoreId === null ? [] : [{ datastoreId: need.datastoreId }])] }],
    },
    include: {
      user: { select: { username: true } },
      group: { select: { name: true } },
      datastore: { select: { name: true } },
    },
    orderBy: { id: "asc" },
  });
}

type QuotaRow = Awaited<ReturnType<typeof quotaRows>>[number];

const scopeOf = (row: QuotaRow): QuotaScope =>
  row.userId !== null ? { userId: row.userId } : { groupId: row.groupId as number };
const whoOf = (row: QuotaRow) => (row.user ? `user ${row.user.username}` : `group ${row.group?.name ?? row.groupId}`);
const whereOf = (row: QuotaRow) => (row.datastore ? `datastore ${row.datastore.name}` : "all datastores");

function exceeded(row: QuotaRow, what: string, field: string, message: string) {
  return new AppError("QUOTA_EXCEEDED", `Quota exceeded: ${message}`, {
    invalidParams: [{ name: field, reason: `exceeds the ${what} quota of ${whoOf(row)}` }],
  });
}

/**
 * Refuses a transfer that would take a user or group past a quota: the bytes and images of the
 * datastore it writes to and of all datastores together, and the transfers under way. Usage
 * counts what other transfers have reserved, so run it in the transaction that reserves, after
 * `lockQuotaRows`.
 */
export async function checkQuotas(db: DbLike, need: QuotaNeed): Promise<void> {
  const rows = await quotaRows(db, need);
  for (const row of rows) {
    const transfers = need.transfers ?? 1;
    if (row.datastoreId === null && row.maxTransfers !== null && transfers > 0) {
      const running = await transfersUnderWay(db, scopeOf(row));
      if (running + transfers > row.maxTransfers)
        throw exceeded(
          row,
          "transfers",
          need.field,
          `${whoOf(row)} may run ${row.maxTransfers} transfer(s) at once and runs ${running}; wait until one ends`,
        );
    }
    if (need.datastoreId === null || (row.maxBytes === null && row.maxImages === null)) continue;
    const used = await datastoreUsage(db, scopeOf(row), row.datastoreId, need.exceptImageIds);
    if (row.maxImages !== null && used.images + need.images > row.maxImages)
      throw exceeded(
        row,
        "images",
        need.field,
        `${whoOf(row)} may have ${row.maxImages} image(s) in ${whereOf(row)} and has ${used.images}; this adds ${need.images}`,
      );
    // an image of unknown size (a URL without a length) needs at least a byte
    const bytes = Math.max(need.bytes, need.images > 0 ? 1 : 0);
    if (row.maxBytes !== null && used.bytes + bytes > Number(row.maxBytes))
      throw exceeded(
        row,
        "size",
        need.field,
        `${whoOf(row)} may store ${formatBytes(Number(row.maxBytes))} in ${whereOf(row)} and uses ${formatBytes(used.bytes)}; this needs ${formatBytes(need.bytes)}`,
      );
  }
}

/**
 * How many more bytes the owner may write into a datastore (null: no size quota applies), not
 * counting the reservation of the images given. A transfer whose size was unknown when it began
 * stops there.
 */
export async function quotaRoom(
  db: DbLike,
  need: { userId: number; groupId: number; datastoreId: number; exceptImageIds: number[] },
): Promise<{ bytes: number; message: string } | null> {
  const rows = await quotaRows(db, need);
  let room: { bytes: number; message: string } | null = null;
  for (const row of rows) {
    if (row.maxBytes === null) continue;
    const used = await datastoreUsage(db, scopeOf(row), row.datastoreId, need.exceptImageIds);
    const left = Math.max(0, Number(row.maxBytes) - used.bytes);
    if (!room || left < room.bytes)
      room = {
        bytes: left,
        message: `Quota exceeded: ${whoOf(row)} may store ${formatBytes(Number(row.maxBytes))} in ${whereOf(row)}, and this image would take more`,
      };
  }
  return room;
}

/** Does any size quota apply to this user or group in this datastore? */
export async function hasSizeQuota(db: DbLike, need: { userId: number; groupId: number; datastoreId: number }) {
  const rows = await quotaRows(db, need);
  return rows.some((r) => r.maxBytes !== null);
}
