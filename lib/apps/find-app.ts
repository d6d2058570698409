import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { forbidden, notFound } from "@/lib/errors";
import { decide, type Operation } from "@/lib/permissions/operations";
import type { SharedObject } from "@/lib/permissions/rights";
import { whereHolds } from "@/lib/permissions/visibility";
import { appInclude } from "./app-dto";

/**
 * An app (of any zone: apps are federated) the user may USE, checked for `op`. An app the
 * user may not use does not exist for them (404), whatever the operation.
 */
export async function findApp(ctx: Ctx, id: number, op: Operation = "show") {
  const app = await (ctx.tx ?? db()).marketplaceApp.findFirst({
    where: { AND: [{ id }, whereHolds(subjectOf(ctx), "USE", "MARKETPLACE_APP")] },
    include: appInclude,
  });
  if (!app) throw notFound(`App ${id}`);
  const decision = decide(
    subjectOf(ctx),
    { ...app, lockLevel: app.lockLevel as SharedObject["lockLevel"] },
    op,
    "MARKETPLACE_APP",
  );
  if (!decision.allowed) throw forbidden(`You may not ${op} app ${app.name}: ${decision.reason}`);
  return app;
}
