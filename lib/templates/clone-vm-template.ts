import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { initialRights } from "@/lib/permissions/rights";
import { findVmTemplate } from "./find-vm-template";
import { vmTemplateDtos, vmTemplateInclude } from "./vm-template-dto";

const taken = (name: string) => conflict("name", `you already have a VM template named "${name}"`);

/** A copy owned by the caller; its disks keep pointing at the same images (as `onetemplate clone`). */
export async function cloneVmTemplate({ ctx, input }: { ctx: Ctx; input: { id: number; name: string } }) {
  if (!ctx.user.createRights.includes("VM_TEMPLATE")) throw forbidden("Your groups may not create VM templates");
  try {
    const row = await db().$transaction(async (tx) => {
      const source = await findVmTemplate({ ...ctx, tx }, input.id, "use");
      if (await tx.vmTemplate.findFirst({ where: { ownerId: ctx.user.id, name: input.name } })) throw taken(input.name);
      const copy = await tx.vmTemplate.create({
        data: {
          name: input.name,
          description: source.description,
          template: source.template,
          zoneId: ctx.zone.id,
          ownerId: ctx.user.id,
          groupId: ctx.user.primaryGroupId,
          ...initialRights(subjectOf(ctx), ctx.user.umask),
        },
        include: vmTemplateInclude,
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "vm-template.clone",
          objectType: "VM_TEMPLATE",
          objectId: copy.id,
          objectName: copy.name,
          details: { fromId: source.id, fromName: source.name },
        },
      );
      return copy;
    });
    return (await vmTemplateDtos(db(), [row], subjectOf(ctx)))[0];
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(input.name);
    throw err;
  }
}
