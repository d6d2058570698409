import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";

export interface AuditInput {
  action: string;
  objectType: string;
  objectId?: string | number;
  objectName?: string;
  /** changed fields; never secrets or password hashes */
  details?: Record<string, unknown>;
}

/** Records who did what to which object; runs in the caller's transaction when there is one. */
export async function recordAudit(
  ctx: Ctx | { actorName: string; zoneName: string; requestId: string; tx?: Ctx["tx"] },
  input: AuditInput,
) {
  const client = ctx.tx ?? db();
  const actor =
    "user" in ctx
      ? { actorId: ctx.user.id, actorName: ctx.user.username, zoneName: ctx.zone.name }
      : { actorId: null, actorName: ctx.actorName, zoneName: ctx.zoneName };
  await client.auditEvent.create({
    data: {
      ...actor,
      requestId: ctx.requestId,
      action: input.action,
      objectType: input.objectType,
      objectId: input.objectId === undefined ? "" : String(input.objectId),
      objectName: input.objectName ?? "",
      details: JSON.stringify(input.details ?? {}),
    },
  });
}
