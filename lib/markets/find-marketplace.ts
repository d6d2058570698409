import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { forbidden, notFound } from "@/lib/errors";
import { decide, type Operation } from "@/lib/permissions/operations";
import { whereHolds } from "@/lib/permissions/visibility";
import { marketplaceInclude } from "./market-dto";

/** A marketplace (of any zone) the user may see (404 otherwise), checked for `op` (403). */
export async function findMarketplace(ctx: Ctx, id: number, op: Operation = "show") {
  const row = await (ctx.tx ?? db()).marketplace.findFirst({
    where: { AND: [{ id }, whereHolds(subjectOf(ctx), "USE", "MARKETPLACE")] },
    include: marketplaceInclude,
  });
  if (!row) throw notFound(`Marketplace ${id}`);
  const decision = decide(subjectOf(ctx), row, op, "MARKETPLACE");
  if (!decision.allowed) throw forbidden(`You may not ${op} marketplace ${row.name}: ${decision.reason}`);
  return row;
}
