import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { templateListPage, templateListWhere, type TemplateListInput } from "./template-list-query";
import { vmTemplateDtos, vmTemplateInclude } from "./vm-template-dto";

export async function listVmTemplates({ ctx, input }: { ctx: Ctx; input: TemplateListInput }) {
  const where = templateListWhere(ctx, input);
  const [rows, total] = await Promise.all([
    db().vmTemplate.findMany({ where, include: vmTemplateInclude, ...templateListPage(input) }),
    db().vmTemplate.count({ where }),
  ]);
  return { items: await vmTemplateDtos(db(), rows, subjectOf(ctx)), total, page: input.page, perPage: input.perPage };
}
