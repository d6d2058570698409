import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { initialRights } from "@/lib/permissions/rights";
import { findServiceTemplate } from "./find-service-template";
import { serviceTemplateDtos, serviceTemplateInclude, storedBody } from "./service-template-dto";

const taken = (name: string) => conflict("name", `you already have a service template named "${name}"`);

/** A copy owned by the caller; the roles keep their VM templates (as `oneflow-template clone`). */
export async function cloneServiceTemplate({ ctx, input }: { ctx: Ctx; input: { id: number; name: string } }) {
  if (!ctx.user.createRights.includes("SERVICE_TEMPLATE"))
    throw forbidden("Your groups may not create service templates");
  try {
    const row = await db().$transaction(async (tx) => {
      const source = await findServiceTemplate({ ...ctx, tx }, input.id, "use");
      if (await tx.serviceTemplate.findFirst({ where: { ownerId: ctx.user.id, name: input.name } }))
        throw taken(input.name);
      const copy = await tx.serviceTemplate.create({
        data: {
          name: input.name,
          description: source.description,
          body: JSON.stringify({ ...storedBody(source.body), name: input.name }),
          zoneId: ctx.zone.id,
          ownerId: ctx.user.id,
          groupId: ctx.user.primaryGroupId,
          ...initialRights(subjectOf(ctx), ctx.user.umask),
        },
        include: serviceTemplateInclude,
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "service-template.clone",
          objectType: "SERVICE_TEMPLATE",
          objectId: copy.id,
          objectName: copy.name,
          details: { fromId: source.id, fromName: source.name },
        },
      );
      return copy;
    });
    return (await serviceTemplateDtos(db(), [row], subjectOf(ctx)))[0];
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(input.name);
    throw err;
  }
}
