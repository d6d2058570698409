import { db } from "@/lib/db/client";
import { INT32_MAX } from "@/lib/api/schemas";
import { storedSizeCheck, type ByteSource } from "@/lib/transfer/byte-source";
import { MARKET_KEY } from "./drivers/types";
import { marketDriverFor } from "./market-spec";

/**
 * One app of an enabled http marketplace, as its public folder serves it (app/market/[id]/[key]),
 * or null. Only the bytes of READY apps are served, never other files that happen to be in the
 * folder.
 */
export async function getMarketFile({ input }: { input: { id: string; key: string } }): Promise<ByteSource | null> {
  // decimal digits within the int column (Number() would read "0x10" and "1e3")
  const id = /^[1-9]\d{0,9}$/.test(input.id) ? Number(input.id) : NaN;
  const { key } = input;
  if (!(id <= INT32_MAX) || !MARKET_KEY.test(key) || key.includes("..")) return null;
  const market = await db().marketplace.findUnique({ where: { id } });
  if (!market || market.driver !== "http" || !market.enabled) return null;
  const app = await db().marketplaceApp.findFirst({
    where: { marketplaceId: id, storageKey: key, state: "READY" },
    select: { id: true, sizeBytes: true, sha256: true },
  });
  if (!app) return null;
  // without the marketplace's zone the driver reads only the folder on this host: a file this
  // instance lacks is never asked of an endpoint, which may be this instance or its zone's
  const driver = marketDriverFor(market);
  const info = await driver.stat(key);
  if (!info) return null;
  return {
    size: info.size,
    etag: app.sha256 ? `"${app.sha256}"` : info.etag,
    lastModified: info.lastModified,
    contentType: "application/octet-stream",
    // a file that is not the size recorded is damaged: refused, never served as the app
    verify: storedSizeCheck(async () => info, Number(app.sizeBytes), { isAdmin: false }, `App file ${key}`),
    // the whole file as it was when stat ran, even if it grows meanwhile
    open: (range) => driver.openRead(key, range ?? { start: 0, end: info.size - 1 }),
  };
}
