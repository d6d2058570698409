import { db } from "@/lib/db/client";
import { marketOriginInclude } from "@/lib/markets/market-spec";
import { catalogTokenHash } from "./catalog-token-secret";

export type ExportedMarket = NonNullable<Awaited<ReturnType<typeof findExported>>>;

export type CatalogAccess =
  { ok: true; market: ExportedMarket; scope: "public" | "all" } | { ok: false; status: 401 | 404; reason: string };

function findExported(id: number) {
  return db().marketplace.findFirst({
    where: { id, enabled: true, catalogExport: { in: ["public", "token"] } },
    include: marketOriginInclude,
  });
}

/** The token of `Authorization: Basic <user:token>` (any user name), or null. */
export function basicAuthToken(header: string | null): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!m) return null;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : decoded.slice(colon + 1);
}

/**
 * Who may read a marketplace's catalog: nobody when it is not exported, disabled or unknown
 * (404); with a valid read token, every READY app ("all"); without one, a public catalog's apps
 * that everyone may use ("public"), a token catalog nothing (401). A token that is given but
 * wrong or revoked is refused (401) even on a public catalog: a client that sends one means it.
 */
export async function openCatalog(input: { id: number; token: string | null }): Promise<CatalogAccess> {
  const market = await findExported(input.id);
  if (!market) return { ok: false, status: 404, reason: `No catalog ${input.id}` };
  if (input.token === null) {
    if (market.catalogExport === "public") return { ok: true, market, scope: "public" };
    return { ok: false, status: 401, reason: "This catalog needs a read token" };
  }
  const hash = catalogTokenHash(input.token);
  const token = hash
    ? await db().catalogToken.findFirst({ where: { secretHash: hash, marketplaceId: market.id } })
    : null;
  if (!token) return { ok: false, status: 401, reason: "The read token is not valid for this catalog" };
  // minute precision is enough and spares a write per request
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000)
    // (updateMany: a token revoked meanwhile is simply not found)
    await db().catalogToken.updateMany({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  return { ok: true, market, scope: "all" };
}
