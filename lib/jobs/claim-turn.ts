import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/errors";

/**
 * True when the caller won this turn of a zone's periodic task and should run it now; the
 * next turn comes `everyMs` later. Any number of workers sharing the database may ask: the
 * conditional update (or, for a task never run before, the insert of its row) succeeds for
 * one of them only.
 */
export async function claimTurn(zoneId: number, name: string, everyMs: number, now = new Date()): Promise<boolean> {
  const next = new Date(now.getTime() + everyMs);
  const { count } = await db().periodicTask.updateMany({
    where: { zoneId, name, dueAt: { lte: now } },
    data: { dueAt: next },
  });
  if (count === 1) return true;
  if ((await db().periodicTask.count({ where: { zoneId, name } })) > 0) return false;
  try {
    await db().periodicTask.create({ data: { zoneId, name, dueAt: next } });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false; // another worker created it first
    throw err;
  }
}
