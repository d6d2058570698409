import { db } from "@/lib/db/client";
import { rangeResponse } from "@/lib/transfer/range-response";
import { MARKET_KEY } from "./drivers/types";
import { marketDriverFor } from "./market-spec";

const notFound = () => new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });

/**
 * One app of an enabled http marketplace, with conditional and range requests. Only the
 * bytes of READY apps are served, never other files that happen to be in the folder.
 */
export async function serveMarketFile(req: Request, p: { id: string; key: string }): Promise<Response> {
  const id = Number(p.id);
  if (!Number.isInteger(id) || id <= 0 || !MARKET_KEY.test(p.key) || p.key.includes("..")) return notFound();
  const market = await db().marketplace.findUnique({ where: { id } });
  if (!market || market.driver !== "http" || !market.enabled) return notFound();
  const app = await db().marketplaceApp.findFirst({
    where: { marketplaceId: id, storageKey: p.key, state: "READY" },
    select: { id: true },
  });
  if (!app) return notFound();
  const driver = marketDriverFor(market);
  const info = await driver.stat(p.key);
  if (!info) return notFound();
  const headers = new Headers({
    "content-type": "application/octet-stream",
    "accept-ranges": "bytes",
    etag: info.etag,
    "last-modified": info.lastModified.toUTCString(),
    "cache-control": "public, max-age=0, must-revalidate",
  });
  const inm = req.headers.get("if-none-match");
  const ims = req.headers.get("if-modified-since");
  const unchanged = inm
    ? inm.split(",").some((t) => t.trim() === info.etag || t.trim() === "*")
    : ims !== null && Math.floor(info.lastModified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000);
  if (unchanged) return new Response(null, { status: 304, headers });
  // a Range applies only while the client's copy is current (If-Range)
  const ifRange = req.headers.get("if-range");
  const rangeHeader = ifRange && ifRange !== info.etag ? null : req.headers.get("range");
  return rangeResponse({
    size: info.size,
    range: rangeHeader,
    headers,
    head: req.method === "HEAD",
    open: (range) => driver.openRead(p.key, range ?? { start: 0, end: info.size - 1 }),
  });
}
