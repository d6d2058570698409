import path from "node:path";
import { getConfig } from "@/lib/config";
import { isWithin, SYSTEM_DIRS } from "./directory-rules";
import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { conflict, forbidden, invalid, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { initialRights } from "@/lib/permissions/rights";
import { datastoreInclude, toDatastoreDto } from "./datastore-dto";
import { datastoreDriverFor } from "./drivers/registry";

export interface CreateDatastoreInput {
  name: string;
  type: "IMAGE" | "FILE";
  driver: "fs";
  basePath?: string;
  requiredFormat: "any" | "qcow2" | "raw";
  limitMb: number | null;
  description: string;
  enabled: boolean;
}

/** The default home of a datastore's files: `<data dir>/datastores/<id>`. */
export const defaultBasePath = (id: number) => path.join(getConfig().dataDir, "datastores", String(id));

export async function createDatastore({ ctx, input }: { ctx: Ctx; input: CreateDatastoreInput }) {
  if (!ctx.user.createRights.includes("DATASTORE")) {
    throw forbidden("Your groups may not create datastores; ask an administrator for the create right");
  }
  if (input.basePath !== undefined && !ctx.user.isAdmin) {
    throw forbidden("Only admins may choose a datastore's directory");
  }
  const chosen = input.basePath ? path.resolve(input.basePath) : undefined;
  if (chosen && SYSTEM_DIRS.some((d) => chosen === d)) throw invalid("basePath", "must not be a system directory");
  const dataDir = getConfig().dataDir;
  if (chosen && (isWithin(chosen, dataDir) || isWithin(dataDir, chosen))) {
    throw invalid(
      "basePath",
      `must be outside the data directory ${dataDir} (the portal places datastores there itself)`,
    );
  }
  try {
    const created = await db().$transaction(async (tx) => {
      if (await tx.datastore.findFirst({ where: { zoneId: ctx.zone.id, name: input.name } })) {
        throw conflict("name", `a datastore named "${input.name}" exists in zone ${ctx.zone.name}`);
      }
      if (chosen) {
        const others = await tx.datastore.findMany({ select: { name: true, basePath: true } });
        const clash = others.find((o) => isWithin(chosen, o.basePath) || isWithin(o.basePath, chosen));
        if (clash) throw conflict("basePath", `overlaps the directory of datastore ${clash.name}`);
      }
      const { basePath: _omit, ...fields } = input;
      const row = await tx.datastore.create({
        data: {
          ...fields,
          zoneId: ctx.zone.id,
          basePath: chosen ?? "",
          ownerId: ctx.user.id,
          groupId: ctx.user.primaryGroupId,
          ...initialRights(subjectOf(ctx), ctx.user.umask),
        },
      });
      const ds = chosen
        ? row
        : await tx.datastore.update({ where: { id: row.id }, data: { basePath: defaultBasePath(row.id) } });
      try {
        await datastoreDriverFor(ds).init();
      } catch (err) {
        throw invalid("basePath", `cannot create the directory ${ds.basePath}: ${(err as Error).message}`);
      }
      await recordAudit(
        { ...ctx, tx },
        {
          action: "datastore.create",
          objectType: "DATASTORE",
          objectId: ds.id,
          objectName: ds.name,
          details: { ...fields, basePath: ds.basePath },
        },
      );
      return tx.datastore.findUniqueOrThrow({ where: { id: ds.id }, include: datastoreInclude });
    });
    return toDatastoreDto(created);
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict("name", `a datastore named "${input.name}" exists in zone ${ctx.zone.name}`);
    throw err;
  }
}
