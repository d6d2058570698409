import { getConfig } from "@/lib/config";
import { zoneHealth, type ZoneHealth } from "./zone-health";

type ZoneRow = { id: number; name: string; description: string; endpoint: string | null; createdAt: Date };

export function toZoneDto(z: ZoneRow) {
  return {
    id: z.id,
    name: z.name,
    description: z.description,
    endpoint: z.endpoint,
    local: z.name === getConfig().zoneName,
    createdAt: z.createdAt,
  };
}

/** The zone with whether its portal answers at its endpoint (lib/zones/zone-health.ts). */
export async function toZoneStatusDto(z: ZoneRow): Promise<ReturnType<typeof toZoneDto> & { health: ZoneHealth }> {
  return { ...toZoneDto(z), health: await zoneHealth(z.endpoint) };
}
