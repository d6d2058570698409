import { forgetVdcResource } from "@/lib/vdcs/vdc-services";
import { rmdir } from "node:fs/promises";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { findDatastore } from "./find-datastore";
import { defaultBasePath } from "./create-datastore";
import { datastoreDriverFor } from "./drivers/registry";

/** Deletes a datastore that holds nothing; its own default directory goes too when empty. */
export async function deleteDatastore({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const ds = await db().$transaction(async (tx) => {
    const row = await findDatastore({ ...ctx, tx }, input.id, "delete");
    const images = await tx.image.count({ where: { datastoreId: row.id } });
    if (images > 0)
      throw new AppError("CONFLICT", `Datastore ${row.name} still holds ${images} image(s); delete them first`);
    const files = await datastoreDriverFor(row).list();
    if (files.length > 0) {
      throw new AppError(
        "CONFLICT",
        `Datastore ${row.name} still holds ${files.length} file(s); delete its images first`,
      );
    }
    await forgetVdcResource(tx, "DATASTORE", row.id);
    await tx.datastore.delete({ where: { id: row.id } });
    await recordAudit(
      { ...ctx, tx },
      { action: "datastore.delete", objectType: "DATASTORE", objectId: row.id, objectName: row.name },
    );
    return row;
  });
  if (ds.basePath === defaultBasePath(ds.id)) await rmdir(ds.basePath).catch(() => {});
}
