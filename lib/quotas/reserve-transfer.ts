import type { Ctx, DbLike } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { measureCapacity, noSpaceMessage, type BackendCapacity } from "@/lib/datastores/measure-capacity";
import { checkQuotas, lockQuotaRows } from "./check-quotas";

/** Options of the transactions that reserve: they may wait their turn for the row locks. */
export const RESERVING = { timeout: 30_000, maxWait: 10_000 };

type Datastore = { id: number; name: string; driver: string; basePath: string; limitMb: number | null };

/**
 * Reserves room for a transfer into a datastore, in the transaction that creates its images
 * (`backend`: the datastore's backend, measured just before the transaction):
 * the datastore must have the room once every other transfer under way has its reservation,
 * and the user's and group's quotas must allow the bytes, the images and one more transfer.
 * The images it creates then carry their `reservedBytes` until they are stored or fail, so
 * two transfers can no longer both pass a check for the same free space.
 */
export async function reserveImageTransfer(
  tx: DbLike,
  ctx: Ctx,
  need: { ds: Datastore; backend: BackendCapacity; bytes: number; images: number; field: string },
) {
  const owner = { userId: ctx.user.id, groupId: ctx.user.primaryGroupId };
  await lockQuotaRows(tx, { ...owner, datastoreId: need.ds.id });
  const { capacity } = await measureCapacity(need.ds, { db: tx, backend: need.backend });
  if (need.bytes > capacity.freeBytes)
    throw new AppError("NO_SPACE", noSpaceMessage(need.ds.name, need.bytes, capacity.freeBytes), {
      invalidParams: [{ name: need.field, reason: "does not fit" }],
    });
  await checkQuotas(tx, {
    ...owner,
    datastoreId: need.ds.id,
    bytes: need.bytes,
    images: need.images,
    field: need.field,
  });
}

/** A transfer that writes no image (a publish, a copy) counts against the transfers quota only. */
export async function reserveTransferSlot(tx: DbLike, ctx: Ctx, field: string) {
  const owner = { userId: ctx.user.id, groupId: ctx.user.primaryGroupId };
  await lockQuotaRows(tx, { ...owner, datastoreId: null });
  await checkQuotas(tx, { ...owner, datastoreId: null, bytes: 0, images: 0, field });
}
