import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { conflict, forbidden, invalid, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { initialRights } from "@/lib/permissions/rights";
import { vmTemplateDtos, vmTemplateInclude } from "./vm-template-dto";
import { prepareVmTemplate } from "./vm-template-rules";

export interface CreateVmTemplateInput {
  name?: string;
  description: string;
  template: string;
  /** set when an app import creates it */
  fromAppId?: number | null;
}

const taken = (name: string) => conflict("name", `you already have a VM template named "${name}"`);

export async function createVmTemplate({ ctx, input }: { ctx: Ctx; input: CreateVmTemplateInput }) {
  if (!ctx.user.createRights.includes("VM_TEMPLATE")) throw forbidden("Your groups may not create VM templates");
  const run = async (tx: NonNullable<Ctx["tx"]>) => {
    const txCtx = { ...ctx, tx };
    const { name, template } = await prepareVmTemplate(txCtx, { text: input.template, name: input.name });
    if (!name) throw invalid("name", "is required: give a name, or NAME in the template");
    if (await tx.vmTemplate.findFirst({ where: { ownerId: ctx.user.id, name } })) throw taken(name);
    const row = await tx.vmTemplate.create({
      data: {
        name,
        description: input.description,
        template,
        fromAppId: input.fromAppId ?? null,
        zoneId: ctx.zone.id,
        ownerId: ctx.user.id,
        groupId: ctx.user.primaryGroupId,
        ...initialRights(subjectOf(ctx), ctx.user.umask),
      },
      include: vmTemplateInclude,
    });
    await recordAudit(txCtx, {
      action: "vm-template.create",
      objectType: "VM_TEMPLATE",
      objectId: row.id,
      objectName: row.name,
      details: input.fromAppId ? { fromAppId: input.fromAppId } : {},
    });
    return row;
  };
  try {
    const row = ctx.tx ? await run(ctx.tx) : await db().$transaction(run);
    return (await vmTemplateDtos(ctx.tx ?? db(), [row], subjectOf(ctx)))[0];
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(input.name ?? "this name");
    throw err;
  }
}
