import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { recordAudit } from "@/lib/audit/record-audit";
import { findServiceTemplate } from "./find-service-template";

/** Deletes a service template; its roles' VM templates stay. */
export async function deleteServiceTemplate({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  await db().$transaction(async (tx) => {
    const row = await findServiceTemplate({ ...ctx, tx }, input.id, "delete");
    await tx.serviceTemplate.delete({ where: { id: row.id } });
    await recordAudit(
      { ...ctx, tx },
      { action: "service-template.delete", objectType: "SERVICE_TEMPLATE", objectId: row.id, objectName: row.name },
    );
  });
}
