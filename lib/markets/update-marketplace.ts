import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { conflict, invalid, isUniqueViolation } from "@/lib/errors";
import { invalidInput } from "@/lib/api/readable-issues";
import { recordAudit } from "@/lib/audit/record-audit";
import {
  httpMarketConfig,
  isPublicDriver,
  MARKET_CONFIG_SCHEMAS,
  s3MarketSecrets,
  type MarketDriverName,
  type MarketDriverSpec,
} from "./drivers/config";
import { checkDriver } from "./check-driver";
import { findMarketplace } from "./find-marketplace";
import { marketplaceInclude } from "./market-dto";
import { openSecrets, sealSecrets } from "./market-spec";
import { marketplaceDtoFor } from "./get-marketplace";
import type { CatalogExport } from "@/lib/catalogs/catalog-export";

export interface UpdateMarketplaceInput {
  id: number;
  name?: string;
  description?: string;
  enabled?: boolean;
  config?: Record<string, string | number | boolean | string[]>;
  secrets?: Record<string, string>;
  /** serve it as a catalog (lib/catalogs): not a public catalog, which is read from elsewhere */
  catalogExport?: CatalogExport;
}

/** Where the bytes are and whose credentials reach them. */
const LOCATION_ATTRIBUTES = ["publicDir", "endpoint", "bucket", "region", "accessKeyId", "keyPrefix"];

/**
 * Moving a marketplace would strand its apps' bytes, so it is refused while it has apps; and
 * pointing stored S3 credentials somewhere else takes knowing them (or being an admin).
 */
async function vetMove(
  ctx: Ctx,
  current: { id: number; driver: string; config: string },
  config: Record<string, unknown>,
  secrets: Record<string, string> | undefined,
) {
  // a public catalog's apps are its entries, read from the endpoint: a mirror serves them too,
  // and the next monitor syncs with whatever it offers
  if (isPublicDriver(current.driver)) return;
  const stored = JSON.parse(current.config) as Record<string, unknown>;
  const moved = LOCATION_ATTRIBUTES.find((k) => k in config && config[k] !== stored[k]);
  if (!moved) return;
  const apps = await db().marketplaceApp.count({ where: { marketplaceId: current.id } });
  if (apps > 0)
    throw conflict(`config.${moved}`, `cannot change while the marketplace has ${apps} app(s) stored there`);
  if (current.driver === "s3" && !ctx.user.isAdmin && !secrets?.secretAccessKey)
    throw invalid("secrets.secretAccessKey", "retype the secret access key to use the credentials elsewhere");
}

/**
 * Renames, describes, enables/disables a marketplace, or changes its driver attributes
 * (merged over the stored ones, validated and checked against the backend again). Disabling
 * keeps every app: they only stop being importable (OpenNebula drops them, orphaning bytes).
 */
export async function updateMarketplace({ ctx, input }: { ctx: Ctx; input: UpdateMarketplaceInput }) {
  const { id, config, secrets, ...fields } = input;
  const op = fields.enabled === undefined ? "update" : fields.enabled ? "enable" : "disable";
  const current = await findMarketplace(ctx, id, op);
  if (fields.catalogExport !== undefined && fields.catalogExport !== current.catalogExport)
    await findMarketplace(ctx, id, "serveCatalog");
  const data: Record<string, unknown> = { ...fields };
  if (fields.catalogExport && fields.catalogExport !== "off" && isPublicDriver(current.driver))
    throw invalid(
      "catalogExport",
      `marketplace ${current.name} is a public catalog read from ${current.driver === "one" ? "an OpenNebula marketplace" : "a simplestreams server"}: only marketplaces that store their apps can be served as a catalog`,
    );
  /** the attributes that changed, as stored: never what the schema dropped (a secret sent in `config`) */
  let changedConfig: Record<string, unknown> | undefined;
  if (config) await vetMove(ctx, current, config, secrets);
  if (config || secrets) {
    const schema = MARKET_CONFIG_SCHEMAS[current.driver as MarketDriverName] ?? httpMarketConfig;
    const merged = schema.safeParse({ ...(JSON.parse(current.config) as object), ...config });
    if (!merged.success) throw invalidInput(merged.error.issues, ["config"]);
    let sealed = current.secrets;
    let plain: Record<string, string> = {};
    if (current.driver === "s3") {
      const next = s3MarketSecrets.safeParse({ ...openSecrets(current.secrets), ...secrets });
      if (!next.success) throw invalidInput(next.error.issues, ["secrets"]);
      plain = next.data;
      sealed = sealSecrets(next.data);
    }
    if (config)
      changedConfig = Object.fromEntries(Object.entries(merged.data).filter(([key]) => Object.hasOwn(config, key)));
    const spec = { id, driver: current.driver, config: merged.data, secrets: plain } as MarketDriverSpec;
    const capacity = await checkDriver(ctx, spec);
    Object.assign(data, {
      config: JSON.stringify(merged.data),
      secrets: sealed,
      ...(capacity && {
        totalBytes: BigInt(capacity.totalBytes),
        freeBytes: BigInt(capacity.freeBytes),
        usedBytes: BigInt(capacity.usedBytes),
      }),
      monitoredAt: new Date(),
      monitorError: "",
      // a catalog read from somewhere else is synced by the next monitor, at once
      monitorDueAt: new Date(),
    });
  }
  if (fields.enabled === true && !current.enabled) data.monitorDueAt = new Date(); // monitor at once
  try {
    const row = await db().$transaction(async (tx) => {
      const updated = await tx.marketplace.update({ where: { id }, data, include: marketplaceInclude });
      await recordAudit(
        { ...ctx, tx },
        {
          action:
            fields.enabled === false
              ? "marketplace.disable"
              : fields.enabled
                ? "marketplace.enable"
                : "marketplace.update",
          objectType: "MARKETPLACE",
          objectId: id,
          objectName: updated.name,
          details: {
            ...fields,
            ...(changedConfig ? { config: changedConfig } : {}),
            ...(secrets ? { secretsChanged: Object.keys(secrets) } : {}),
          },
        },
      );
      return updated;
    });
    return marketplaceDtoFor(ctx, row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `a marketplace named "${fields.name}" exists`);
    throw err;
  }
}
