import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { forbidden, notFound } from "@/lib/errors";
import { decide, type Operation } from "@/lib/permissions/operations";
import { whereHolds } from "@/lib/permissions/visibility";
import { datastoreInclude } from "./datastore-dto";

/** A local-zone datastore the user may see (404 otherwise), checked for `op` (403). */
export async function findDatastore(ctx: Ctx, id: number, op: Operation = "show") {
  const ds = await (ctx.tx ?? db()).datastore.findFirst({
    where: { AND: [{ id, zoneId: ctx.zone.id }, whereHolds(subjectOf(ctx), "USE", "DATASTORE")] },
    include: datastoreInclude,
  });
  if (!ds) throw notFound(`Datastore ${id}`);
  const decision = decide(subjectOf(ctx), ds, op, "DATASTORE");
  if (!decision.allowed) throw forbidden(`You may not ${op} datastore ${ds.name}: ${decision.reason}`);
  return ds;
}
