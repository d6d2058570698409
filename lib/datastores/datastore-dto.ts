import type { Prisma } from "@/lib/db/client";
import { ownershipInclude, toOwnershipDto } from "@/lib/permissions/shared-dto";
import { measureCapacity } from "./measure-capacity";

export const datastoreInclude = {
  ...ownershipInclude,
  zone: { select: { id: true, name: true } },
} satisfies Prisma.DatastoreInclude;

export type DatastoreRow = Prisma.DatastoreGetPayload<{ include: typeof datastoreInclude }>;

export async function toDatastoreDto(ds: DatastoreRow) {
  const { capacity, imageCount } = await measureCapacity(ds);
  return {
    id: ds.id,
    name: ds.name,
    type: ds.type,
    driver: ds.driver,
    zone: ds.zone,
    basePath: ds.basePath,
    requiredFormat: ds.requiredFormat,
    limitMb: ds.limitMb,
    enabled: ds.enabled,
    state: ds.enabled ? "ENABLED" : "DISABLED",
    description: ds.description,
    imageCount,
    capacity,
    createdAt: ds.createdAt,
    updatedAt: ds.updatedAt,
    ...toOwnershipDto(ds),
  };
}
