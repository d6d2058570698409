import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { nameFor } from "@/lib/permissions/references";
import { rangeResponse } from "@/lib/transfer/range-response";
import { marketDriverFor } from "@/lib/markets/market-spec";
import { findApp } from "./find-app";

/**
 * Streams a READY app's bytes from its marketplace, with HTTP Range support. OpenNebula's
 * download checks neither the state nor (in old Sunstone) the permission; both are checked.
 */
export async function downloadApp({ ctx, input }: { ctx: Ctx; input: { id: number; range: string | null } }) {
  const app = await findApp(ctx, input.id, "download");
  if (app.state !== "READY")
    throw new AppError("WRONG_STATE", `App ${app.name} is ${app.state}; only READY apps can be downloaded`);
  if (app.type !== "IMAGE" || !app.storageKey)
    throw new AppError(
      "WRONG_STATE",
      `App ${app.name} is a ${app.type} app: it has no bytes of its own; download its image parts or import it`,
    );
  const market = await db().marketplace.findUniqueOrThrow({ where: { id: app.marketplaceId } });
  const driver = marketDriverFor(market);
  const size = Number(app.sizeBytes);
  const ext = app.format || "img";
  const headers = new Headers({
    "content-type": "application/octet-stream",
    "content-disposition": `attachment; filename="${app.name.replace(/[^A-Za-z0-9._-]/g, "_")}.${ext}"`,
    "accept-ranges": "bytes",
    etag: `"${app.sha256}"`,
    "cache-control": "private, no-store",
  });
  return rangeResponse({
    size,
    range: input.range,
    headers,
    open: (range) =>
      driver.openRead(app.storageKey, range).catch((err: Error) => {
        throw new AppError(
          "BACKEND_FAILED",
          `Marketplace ${nameFor(subjectOf(ctx), market)} could not serve app ${app.name}: ${err.message}`,
        );
      }),
  });
}
