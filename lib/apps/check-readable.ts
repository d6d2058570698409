import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import type { MarketDriverName } from "@/lib/markets/drivers/config";
import { MARKET_DRIVER_CAPABILITIES } from "@/lib/markets/drivers/registry";
import { nameFor } from "@/lib/permissions/references";
import type { AppRow } from "./app-dto";

/**
 * An app whose bytes may be read now (by an import or a copy): READY, in an enabled marketplace
 * whose driver serves bytes. `what` names the part of a tree (" (part DISK 0 of …)").
 */
export function checkReadable(ctx: Ctx, app: AppRow, what: string, verb: "imported" | "copied") {
  if (app.state !== "READY")
    throw new AppError("WRONG_STATE", `App ${app.name}${what} is ${app.state}; only READY apps can be ${verb}`);
  const market = nameFor(subjectOf(ctx), app.marketplace, "MARKETPLACE");
  if (!app.marketplace.enabled)
    throw new AppError("WRONG_STATE", `Marketplace ${market} is disabled; its apps cannot be ${verb}`);
  if (!MARKET_DRIVER_CAPABILITIES[app.marketplace.driver as MarketDriverName]?.read)
    throw new AppError("WRONG_STATE", `Marketplace ${market} cannot serve app bytes`);
}
