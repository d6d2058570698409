import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { templateListPage, templateListWhere, type TemplateListInput } from "./template-list-query";
import { serviceTemplateDtos, serviceTemplateInclude } from "./service-template-dto";

export async function listServiceTemplates({ ctx, input }: { ctx: Ctx; input: TemplateListInput }) {
  const where = templateListWhere(ctx, input);
  const [rows, total] = await Promise.all([
    db().serviceTemplate.findMany({ where, include: serviceTemplateInclude, ...templateListPage(input) }),
    db().serviceTemplate.count({ where }),
  ]);
  return {
    items: await serviceTemplateDtos(db(), rows, subjectOf(ctx)),
    total,
    page: input.page,
    perPage: input.perPage,
  };
}
