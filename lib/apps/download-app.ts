import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { nameFor } from "@/lib/permissions/references";
import { cannotServe, storedSizeCheck, type ByteSource } from "@/lib/transfer/byte-source";
import { marketDriverFor, marketOriginInclude } from "@/lib/markets/market-spec";
import { findApp } from "./find-app";

/**
 * A READY app's bytes in its marketplace, ready to be served (lib/api/serve-bytes.ts).
 * OpenNebula's download checks neither the state nor (in old Sunstone) the permission; both
 * are checked.
 */
export async function downloadApp({ ctx, input }: { ctx: Ctx; input: { id: number } }): Promise<ByteSource> {
  const app = await findApp(ctx, input.id, "download");
  if (app.state !== "READY")
    throw new AppError("WRONG_STATE", `App ${app.name} is ${app.state}; only READY apps can be downloaded`);
  if (app.type !== "IMAGE" || !app.storageKey)
    throw new AppError(
      "WRONG_STATE",
      `App ${app.name} is a ${app.type} app: it has no bytes of its own; download its image parts or import it`,
    );
  const market = await db().marketplace.findUniqueOrThrow({
    where: { id: app.marketplaceId },
    include: marketOriginInclude,
  });
  // an http marketplace whose folder is not on this host is read from where it is served
  const driver = marketDriverFor(market);
  const what = `Marketplace ${nameFor(subjectOf(ctx), market, "MARKETPLACE")} could not serve app ${app.name}`;
  return {
    size: Number(app.sizeBytes),
    etag: app.sha256 ? `"${app.sha256}"` : undefined,
    filename: `${app.name}.${app.format || "img"}`,
    contentType: "application/octet-stream",
    verify: storedSizeCheck(() => driver.stat(app.storageKey), Number(app.sizeBytes), ctx.user, what),
    open: (range) =>
      driver.openRead(app.storageKey, range).catch((err: Error) => {
        throw cannotServe(ctx.user, what, err);
      }),
  };
}
