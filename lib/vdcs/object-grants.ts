import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { findDatastore } from "@/lib/datastores/find-datastore";
import { findMarketplace } from "@/lib/markets/find-marketplace";
import { findApp } from "@/lib/apps/find-app";
import { grantsOf, type GrantKind } from "@/lib/permissions/vdc-grants";

/**
 * The VDCs that grant USE on an object the user may see: admins learn every one, others only
 * the VDCs of their own groups (other VDCs are not theirs to know, as on the VDC pages).
 */
export async function objectGrants({ ctx, input }: { ctx: Ctx; input: { kind: GrantKind; id: number } }) {
  const target =
    input.kind === "DATASTORE"
      ? await findDatastore(ctx, input.id)
      : input.kind === "MARKETPLACE"
        ? await findMarketplace(ctx, input.id)
        : await findApp(ctx, input.id);
  const items = await grantsOf(db(), input.kind, target);
  const mine = new Set(ctx.user.groupIds);
  return {
    items: ctx.user.isAdmin ? items : items.filter((g) => g.groups.some((group) => mine.has(group.id))),
  };
}
