import { db } from "@/lib/db/client";

/** True when the database answers a trivial query. */
export async function checkHealth(): Promise<boolean> {
  try {
    await db().zone.count();
    return true;
  } catch (err) {
    console.error("[bazaar] health check failed:", err);
    return false;
  }
}
