import { scheduleMarketMonitors } from "@/lib/markets/monitor-marketplace";

/** Periodic work: each entry queues the jobs whose turn has come (claimed, so once per zone). */
export async function runSchedules(zoneId: number): Promise<void> {
  await scheduleMarketMonitors(zoneId);
}
