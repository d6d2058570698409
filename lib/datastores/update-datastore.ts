import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { conflict, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { datastoreInclude, toDatastoreDto } from "./datastore-dto";
import { findDatastore } from "./find-datastore";

export interface UpdateDatastoreInput {
  id: number;
  name?: string;
  description?: string;
  enabled?: boolean;
  requiredFormat?: "any" | "qcow2" | "raw";
  limitMb?: number | null;
}

export async function updateDatastore({ ctx, input }: { ctx: Ctx; input: UpdateDatastoreInput }) {
  const { id, ...fields } = input;
  const op = fields.enabled === undefined ? "update" : fields.enabled ? "enable" : "disable";
  try {
    const updated = await db().$transaction(async (tx) => {
      const ds = await findDatastore({ ...ctx, tx }, id, op);
      if (
        fields.name &&
        fields.name !== ds.name &&
        (await tx.datastore.findFirst({ where: { zoneId: ds.zoneId, name: fields.name } }))
      ) {
        throw conflict("name", `a datastore named "${fields.name}" exists in zone ${ctx.zone.name}`);
      }
      const row = await tx.datastore.update({ where: { id }, data: fields, include: datastoreInclude });
      await recordAudit(
        { ...ctx, tx },
        {
          action:
            fields.enabled === false
              ? "datastore.disable"
              : fields.enabled === true
                ? "datastore.enable"
                : "datastore.update",
          objectType: "DATASTORE",
          objectId: id,
          objectName: row.name,
          details: fields,
        },
      );
      return row;
    });
    return toDatastoreDto(updated);
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict("name", `a datastore named "${fields.name}" exists in zone ${ctx.zone.name}`);
    throw err;
  }
}
