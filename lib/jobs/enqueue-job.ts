import type { DbLike } from "@/lib/auth/context";
import type { JobDefinition } from "./define-job";
import { announceJob } from "./job-wake";
import type { z } from "zod";

/**
 * Queues a job in the caller's transaction, so the job exists exactly when its object does,
 * and wakes the workers for it (once the transaction commits; see job-wake.ts).
 */
export async function enqueueJob<S extends z.ZodType>(
  db: DbLike,
  def: JobDefinition<S>,
  input: {
    zoneId: number;
    payload: z.input<S>;
    title: string;
    objectType?: string;
    objectId?: number;
    createdById?: number;
    bytesTotal?: number | null;
  },
) {
  const payload = def.schema.parse(input.payload);
  const job = await db.job.create({
    data: {
      kind: def.kind,
      zoneId: input.zoneId,
      payload: JSON.stringify(payload),
      title: input.title,
      objectType: input.objectType ?? "",
      objectId: input.objectId,
      createdById: input.createdById,
      bytesTotal: input.bytesTotal == null ? null : BigInt(input.bytesTotal),
      maxAttempts: def.maxAttempts ?? 3,
    },
  });
  await announceJob(db, input.zoneId);
  return job;
}
