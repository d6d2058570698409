import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { nameFor } from "@/lib/permissions/references";
import { cannotServe, storedSizeCheck, wholeOf, type ByteSource } from "@/lib/transfer/byte-source";
import { isPublicDriver } from "@/lib/markets/drivers/config";
import { marketDriverFor, marketOriginInclude, specOf } from "@/lib/markets/market-spec";
import { presignedGetUrl } from "@/lib/markets/drivers/s3-presign";
import { recordAudit } from "@/lib/audit/record-audit";
import { findApp } from "./find-app";

/**
 * A READY app's bytes in its marketplace, ready to be served (lib/api/serve-bytes.ts).
 * OpenNebula's download checks neither the state nor (in old Sunstone) the permission; both
 * are checked. An s3 marketplace with `downloadRedirect` has the client fetch the bytes from
 * the service through a presigned URL, and such a download is recorded in the audit log (the
 * portal sees no more of it).
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
  // a public catalog's size is what it claims (OpenNebula's lists virtual sizes): not checked
  // against the file, and not promised to the client
  const exact = !isPublicDriver(market.driver);
  const spec = specOf(market);
  const filename = `${app.name}.${app.format || "img"}`;
  return {
    size: Number(app.sizeBytes),
    sizeIsExact: exact,
    etag: app.sha256 ? `"${app.sha256}"` : undefined,
    filename,
    contentType: "application/octet-stream",
    ...(spec.driver === "s3" &&
      spec.config.downloadRedirect && {
        redirect: async () => {
          const url = await presignedGetUrl(spec, app.storageKey!, { filename });
          await recordAudit(ctx, {
            action: "app.download",
            objectType: "MARKETPLACE_APP",
            objectId: app.id,
            objectName: app.name,
            details: { marketplaceId: market.id, redirect: true },
          });
          return url;
        },
      }),
    ...(exact && { verify: storedSizeCheck(() => driver.stat(app.storageKey), Number(app.sizeBytes), ctx.user, what) }),
    open: (range) =>
      // never past the size stated, even if the file grew since it was checked
      driver.openRead(app.storageKey, range ?? wholeOf(exact ? Number(app.sizeBytes) : 0)).catch((err: Error) => {
        throw cannotServe(ctx.user, what, err);
      }),
  };
}
