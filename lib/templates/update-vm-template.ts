import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { conflict, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { findVmTemplate } from "./find-vm-template";
import { vmTemplateDtos, vmTemplateInclude } from "./vm-template-dto";
import { parseTemplateParam, prepareVmTemplate } from "./vm-template-rules";
import { templateDisks } from "./vm-template-spec";

export interface UpdateVmTemplateInput {
  id: number;
  name?: string;
  description?: string;
  template?: string;
}

const taken = (name: string) => conflict("name", `the owner already has a VM template named "${name}"`);

export async function updateVmTemplate({ ctx, input }: { ctx: Ctx; input: UpdateVmTemplateInput }) {
  const { id, description } = input;
  let name = input.name;
  try {
    const row = await db().$transaction(async (tx) => {
      const txCtx = { ...ctx, tx };
      const current = await findVmTemplate(txCtx, id, "update");
      let template: string | undefined;
      if (input.template !== undefined) {
        // the disks it already had were checked when they were added
        const kept = new Set(templateDisks(parseTemplateParam(current.template)).flatMap((d) => d.imageId ?? []));
        const prepared = await prepareVmTemplate(txCtx, { text: input.template, name, keptImageIds: kept });
        template = prepared.template;
        name = prepared.name;
      }
      if (
        name &&
        name !== current.name &&
        (await tx.vmTemplate.findFirst({ where: { ownerId: current.ownerId, name } }))
      )
        throw taken(name);
      const data = { name, description, template };
      const updated = await tx.vmTemplate.update({ where: { id }, data, include: vmTemplateInclude });
      await recordAudit(txCtx, {
        action: "vm-template.update",
        objectType: "VM_TEMPLATE",
        objectId: id,
        objectName: updated.name,
        details: Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)),
      });
      return updated;
    });
    return (await vmTemplateDtos(db(), [row], subjectOf(ctx)))[0];
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(name ?? "this name");
    throw err;
  }
}
