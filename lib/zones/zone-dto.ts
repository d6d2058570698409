import { getConfig } from "@/lib/config";

export function toZoneDto(z: { id: number; name: string; description: string; endpoint: string; createdAt: Date }) {
  return { ...z, local: z.name === getConfig().zoneName };
}
