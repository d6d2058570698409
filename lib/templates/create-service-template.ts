import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { initialRights } from "@/lib/permissions/rights";
import type { ServiceTemplateBody } from "./service-template-body";
import { serviceTemplateDtos, serviceTemplateInclude } from "./service-template-dto";
import { bodyJson, checkRoleTemplates } from "./service-template-rules";

const taken = (name: string) => conflict("name", `you already have a service template named "${name}"`);

/**
 * `input` is the OneFlow document, already validated by serviceTemplateBody; `fromAppId` is
 * set by an app import only (a document's own "fromAppId" key is not the portal's to trust).
 */
export async function createServiceTemplate({
  ctx,
  input,
  fromAppId,
}: {
  ctx: Ctx;
  input: ServiceTemplateBody;
  fromAppId?: number | null;
}) {
  if (!ctx.user.createRights.includes("SERVICE_TEMPLATE"))
    throw forbidden("Your groups may not create service templates");
  const body = input;
  const run = async (tx: NonNullable<Ctx["tx"]>) => {
    const txCtx = { ...ctx, tx };
    await checkRoleTemplates(txCtx, body);
    if (await tx.serviceTemplate.findFirst({ where: { ownerId: ctx.user.id, name: body.name } }))
      throw taken(body.name);
    const row = await tx.serviceTemplate.create({
      data: {
        name: body.name,
        description: body.description,
        body: bodyJson(body, body.name, body.description),
        fromAppId: fromAppId ?? null,
        zoneId: ctx.zone.id,
        ownerId: ctx.user.id,
        groupId: ctx.user.primaryGroupId,
        ...initialRights(subjectOf(ctx), ctx.user.umask),
      },
      include: serviceTemplateInclude,
    });
    await recordAudit(txCtx, {
      action: "service-template.create",
      objectType: "SERVICE_TEMPLATE",
      objectId: row.id,
      objectName: row.name,
      details: { roles: body.roles.map((r) => r.name), ...(fromAppId ? { fromAppId } : {}) },
    });
    return row;
  };
  try {
    const row = ctx.tx ? await run(ctx.tx) : await db().$transaction(run);
    return (await serviceTemplateDtos(ctx.tx ?? db(), [row], subjectOf(ctx)))[0];
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(body.name);
    throw err;
  }
}
