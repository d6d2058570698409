import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";

export interface ZoneRef {
  id: number;
  name: string;
}

const cache = globalThis as unknown as { __bazaarZone?: Promise<ZoneRef> };

/** The zone this instance serves (BAZAAR_ZONE); created on first use. */
export function localZone(): Promise<ZoneRef> {
  cache.__bazaarZone ??= (async () => {
    const name = getConfig().zoneName;
    const zone = await db().zone.upsert({
      where: { name },
      create: { name },
      update: {},
      select: { id: true, name: true },
    });
    return zone;
  })().catch((err) => {
    cache.__bazaarZone = undefined;
    throw err;
  });
  return cache.__bazaarZone;
}

export function resetLocalZoneCacheForTests(): void {
  cache.__bazaarZone = undefined;
}
