import { db } from "@/lib/db/client";
import { measureBackend, measureCapacity, noSpaceMessage } from "@/lib/datastores/measure-capacity";
import { PermanentJobError } from "@/lib/jobs/define-job";
import { lockQuotaRows, quotaRoom } from "./check-quotas";
import { RESERVING } from "./reserve-transfer";

type Datastore = { id: number; name: string; driver: string; basePath: string; limitMb: number | null };

export interface IngestLimit {
  bytes: number;
  /** the error for writing `need` bytes */
  message: (need: number) => string;
}

/**
 * How much an ingest may write into its datastore: the free room (its own reservation not
 * counted) or what its owner's size quotas leave, whichever is less. Given the length the
 * source announced, it also reserves it, with the rows locked as a request reserves: a URL whose
 * size the request could not know holds its room from here on, so two imports running at once
 * cannot both take the same free space. An image already holding more (an app converted to raw
 * reserves its virtual size) keeps it.
 */
export async function ingestLimit(imageId: number, ds: Datastore, length: number | null = null): Promise<IngestLimit> {
  const backend = await measureBackend(ds);
  return db().$transaction(async (tx) => {
    const img = await tx.image.findUnique({
      where: { id: imageId },
      select: { ownerId: true, groupId: true, reservedBytes: true },
    });
    if (!img) throw new PermanentJobError("the image no longer exists");
    const owner = { userId: img.ownerId, groupId: img.groupId, datastoreId: ds.id };
    if (length !== null) await lockQuotaRows(tx, owner);
    const { capacity } = await measureCapacity(ds, { db: tx, exceptImageIds: [imageId], backend });
    const room = await quotaRoom(tx, { ...owner, exceptImageIds: [imageId] });
    const limit: IngestLimit =
      room && room.bytes < capacity.freeBytes
        ? { bytes: room.bytes, message: () => room.message }
        : { bytes: capacity.freeBytes, message: (need) => noSpaceMessage(ds.name, need, capacity.freeBytes) };
    if (length === null) return limit;
    if (length > limit.bytes) throw new PermanentJobError(limit.message(length));
    if (BigInt(length) > img.reservedBytes)
      await tx.image.update({ where: { id: imageId }, data: { reservedBytes: BigInt(length) } });
    return limit;
  }, RESERVING);
}
