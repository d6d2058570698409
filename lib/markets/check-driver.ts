import path from "node:path";
import { getConfig } from "@/lib/config";
import { isWithin, SYSTEM_DIRS } from "@/lib/datastores/directory-rules";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError, forbidden, invalid } from "@/lib/errors";
import { checkUrlHost, UrlRefusedError } from "@/lib/transfer/url-source";
import { MarketConfigError, type MarketCapacity } from "./drivers/types";
import { isPublicDriver, type MarketDriverSpec } from "./drivers/config";
import { buildMarketDriver } from "./drivers/registry";

/**
 * Who may point a marketplace where: only admins choose a directory on this machine (and
 * never a system one, nor one of the portal's own or another store's), and a non-admin's
 * S3 endpoint obeys the same address policy as URL imports.
 */
async function vetLocation(ctx: Ctx, spec: MarketDriverSpec) {
  if (spec.driver === "http") {
    if (!ctx.user.isAdmin) throw forbidden("Only admins may create http marketplaces (they write to a directory)");
    const dir = path.resolve(spec.config.publicDir);
    const cfg = getConfig();
    if (SYSTEM_DIRS.some((d) => (d === "/" ? dir === d : isWithin(dir, d))))
      throw invalid("config.publicDir", "must not be a system directory");
    const reserved = [cfg.dataDir, path.join(cfg.dataDir, "datastores"), cfg.uploadDir];
    if (isWithin(cfg.dataDir, dir) || reserved.slice(1).some((r) => isWithin(dir, r)))
      throw invalid("config.publicDir", "must not be the data directory, its datastores or uploads");
    const datastores = await db().datastore.findMany({ select: { name: true, basePath: true } });
    const ds = datastores.find((d) => isWithin(dir, d.basePath) || isWithin(d.basePath, dir));
    if (ds) throw invalid("config.publicDir", `overlaps the directory of datastore ${ds.name}`);
    const markets = await db().marketplace.findMany({
      where: { driver: "http", NOT: { id: spec.id } },
      select: { name: true, config: true },
    });
    const other = markets.find((m) => {
      const d = (JSON.parse(m.config) as { publicDir?: string }).publicDir;
      return d && (isWithin(dir, d) || isWithin(d, dir));
    });
    if (other) throw invalid("config.publicDir", `overlaps the directory of marketplace ${other.name}`);
  }
  // a catalog's endpoint is trusted by the address policy (a company mirror may be on a
  // private network), so only admins choose one
  if (isPublicDriver(spec.driver) && !ctx.user.isAdmin)
    throw forbidden("Only admins may register public catalogs (their endpoint is trusted like a mirror)");
  if (spec.driver === "s3" && spec.config.endpoint && !ctx.user.isAdmin) {
    try {
      await checkUrlHost(new URL(spec.config.endpoint));
    } catch (err) {
      if (err instanceof UrlRefusedError) throw invalid("config.endpoint", err.message);
      throw err;
    }
  }
}

/**
 * Vets a driver configuration and asks the backend itself, then measures it; problems name
 * the attribute. A driver that cannot measure its capacity (a public catalog) answers null.
 */
export async function checkDriver(ctx: Ctx, spec: MarketDriverSpec): Promise<MarketCapacity | null> {
  await vetLocation(ctx, spec);
  const driver = buildMarketDriver(spec);
  try {
    await driver.check();
    return driver.capacity ? await driver.capacity() : null;
  } catch (err) {
    if (err instanceof MarketConfigError) {
      const field = err.attribute === "secretAccessKey" ? "secrets.secretAccessKey" : `config.${err.attribute}`;
      throw new AppError("INVALID", err.message, { invalidParams: [{ name: field, reason: err.message }] });
    }
    throw new AppError("INVALID", `The marketplace backend failed: ${(err as Error).message}`, {
      invalidParams: [{ name: "driver", reason: (err as Error).message }],
    });
  }
}

export async function checkMarketplace({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: Omit<MarketDriverSpec, "id" | "secrets"> & { secrets?: Record<string, string> };
}) {
  if (!ctx.user.createRights.includes("MARKETPLACE")) throw forbidden("Your groups may not create marketplaces");
  const spec = { id: 0, secrets: {}, ...input } as MarketDriverSpec;
  const capacity = await checkDriver(ctx, spec);
  return {
    ok: true as const,
    capacity: capacity && { totalBytes: capacity.totalBytes, freeBytes: capacity.freeBytes },
  };
}
