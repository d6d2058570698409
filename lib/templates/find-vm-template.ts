import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { forbidden, notFound } from "@/lib/errors";
import { decide, type Operation } from "@/lib/permissions/operations";
import { whereHolds } from "@/lib/permissions/visibility";
import { vmTemplateInclude } from "./vm-template-dto";

/** A local-zone VM template the user may see (404 otherwise), checked for `op` (403). */
export async function findVmTemplate(ctx: Ctx, id: number, op: Operation = "show") {
  const row = await (ctx.tx ?? db()).vmTemplate.findFirst({
    where: { AND: [{ id, zoneId: ctx.zone.id }, whereHolds(subjectOf(ctx))] },
    include: vmTemplateInclude,
  });
  if (!row) throw notFound(`VM template ${id}`);
  const decision = decide(subjectOf(ctx), row, op);
  if (!decision.allowed) throw forbidden(`You may not ${op} VM template ${row.name}: ${decision.reason}`);
  return row;
}
