import { scheduleMarketMonitors } from "@/lib/markets/monitor-marketplace";
import { expireAbandonedUploads } from "@/lib/uploads/expire-abandoned-uploads";
import { claimTurn } from "./claim-turn";
import { pruneFinishedJobs } from "./prune-finished-jobs";

/**
 * Housekeeping of a zone, run in the worker that claims its turn. Both tasks are cheap when
 * there is nothing to do, and their own deadlines are hours or days, so a turn every few
 * minutes keeps them close to those.
 */
export const PERIODIC_TASKS: {
  name: string;
  everyMs: number;
  /** returns how many things it removed, for the log */
  run(zoneId: number): Promise<number>;
  done: string;
}[] = [
  {
    name: "uploads.expire",
    everyMs: 5 * 60_000,
    run: (z) => expireAbandonedUploads(z),
    done: "abandoned uploads ended",
  },
  { name: "jobs.prune", everyMs: 15 * 60_000, run: (z) => pruneFinishedJobs(z), done: "ended jobs deleted" },
];

/** Periodic work: each entry queues or runs what is due (claimed, so once per zone). */
export async function runSchedules(zoneId: number, log: (line: string) => void = () => {}): Promise<void> {
  await scheduleMarketMonitors(zoneId);
  for (const task of PERIODIC_TASKS) {
    if (!(await claimTurn(zoneId, task.name, task.everyMs))) continue;
    try {
      const count = await task.run(zoneId);
      if (count > 0) log(`${task.name}: ${count} ${task.done}`);
    } catch (err) {
      // the next turn tries again; the claims of jobs go on meanwhile
      log(`${task.name} failed: ${(err as Error).message}`);
    }
  }
}
