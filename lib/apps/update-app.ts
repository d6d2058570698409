import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError, conflict, invalid, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { nameFor } from "@/lib/permissions/references";
import { appInclude, packTags } from "./app-dto";
import { findApp } from "./find-app";
import { appDtoFor } from "./get-app";
import { checkVmTemplate } from "./vm-template-text";

export interface UpdateAppInput {
  id: number;
  name?: string;
  version?: string;
  description?: string;
  tags?: string[];
  hypervisor?: string;
  architecture?: string;
  vmTemplate?: string;
  enabled?: boolean;
}

/**
 * Edits an app's metadata, or moves it READY ⇄ DISABLED. What identifies its bytes (source,
 * size, checksums, format, origin) is not editable. Enabling or disabling an app in any other
 * state is refused (OpenNebula silently does nothing).
 */
export async function updateApp({ ctx, input }: { ctx: Ctx; input: UpdateAppInput }) {
  const { id, enabled, tags, ...fields } = input;
  const op = enabled === undefined ? "update" : enabled ? "enable" : "disable";
  checkVmTemplate(fields.vmTemplate);
  try {
    const row = await db().$transaction(async (tx) => {
      const app = await findApp({ ...ctx, tx }, id, op);
      const edited = Object.entries({ ...fields, tags }).find(([, v]) => v !== undefined)?.[0];
      if (app.upstreamKey !== null && edited)
        throw new AppError(
          "WRONG_STATE",
          `App ${app.name} follows its public catalog, which sets its ${edited}; it can only be disabled or enabled`,
        );
      if (fields.vmTemplate !== undefined && app.type !== "IMAGE")
        throw invalid("vmTemplate", `the template of a ${app.type} app names its parts and is fixed by its publish`);
      const data: Record<string, unknown> = { ...fields };
      if (tags) data.tags = packTags(tags);
      if (enabled !== undefined) {
        const from = enabled ? "DISABLED" : "READY";
        if (app.state !== from && app.state !== (enabled ? "READY" : "DISABLED"))
          throw new AppError(
            "WRONG_STATE",
            `App ${app.name} is ${app.state}; only READY apps can be disabled and DISABLED ones enabled`,
          );
        data.state = enabled ? "READY" : "DISABLED";
      }
      if (fields.name && fields.name !== app.name) {
        const clash = await tx.marketplaceApp.findFirst({
          where: { marketplaceId: app.marketplaceId, name: fields.name },
        });
        if (clash)
          throw conflict(
            "name",
            `marketplace ${nameFor(subjectOf(ctx), app.marketplace, "MARKETPLACE")} already has an app named "${fields.name}"`,
          );
      }
      const updated = await tx.marketplaceApp.update({ where: { id }, data, include: appInclude });
      await recordAudit(
        { ...ctx, tx },
        {
          action: enabled === false ? "app.disable" : enabled ? "app.enable" : "app.update",
          objectType: "MARKETPLACE_APP",
          objectId: id,
          objectName: updated.name,
          details: { ...fields, ...(tags ? { tags } : {}) },
        },
      );
      return updated;
    });
    return appDtoFor(ctx, row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `an app named "${fields.name}" exists in this marketplace`);
    throw err;
  }
}

/** Locks an app at a level (MANAGE; OpenNebula's lock 1-3), or takes the lock off. */
export async function lockApp({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number; level: "USE" | "MANAGE" | "ADMIN" | null };
}) {
  const row = await db().$transaction(async (tx) => {
    const app = await findApp({ ...ctx, tx }, input.id, input.level ? "lock" : "unlock");
    const updated = await tx.marketplaceApp.update({
      where: { id: app.id },
      data: { lockLevel: input.level },
      include: appInclude,
    });
    await recordAudit(
      { ...ctx, tx },
      {
        action: input.level ? "app.lock" : "app.unlock",
        objectType: "MARKETPLACE_APP",
        objectId: app.id,
        objectName: app.name,
        details: input.level ? { level: input.level } : {},
      },
    );
    return updated;
  });
  return appDtoFor(ctx, row);
}
