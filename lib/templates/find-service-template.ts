import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { forbidden, notFound } from "@/lib/errors";
import { decide, type Operation } from "@/lib/permissions/operations";
import { whereHolds } from "@/lib/permissions/visibility";
import { serviceTemplateInclude } from "./service-template-dto";

/** A local-zone service template the user may see (404 otherwise), checked for `op` (403). */
export async function findServiceTemplate(ctx: Ctx, id: number, op: Operation = "show") {
  const row = await (ctx.tx ?? db()).serviceTemplate.findFirst({
    where: { AND: [{ id, zoneId: ctx.zone.id }, whereHolds(subjectOf(ctx))] },
    include: serviceTemplateInclude,
  });
  if (!row) throw notFound(`Service template ${id}`);
  const decision = decide(subjectOf(ctx), row, op);
  if (!decision.allowed) throw forbidden(`You may not ${op} service template ${row.name}: ${decision.reason}`);
  return row;
}
