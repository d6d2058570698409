import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { conflict, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { ServiceTemplateBody } from "./service-template-body";
import { findServiceTemplate } from "./find-service-template";
import { serviceTemplateDtos, serviceTemplateInclude, storedBody } from "./service-template-dto";
import { bodyJson, checkRoleTemplates } from "./service-template-rules";

export interface UpdateServiceTemplateInput {
  id: number;
  name?: string;
  description?: string;
  /** replaces the whole OneFlow document */
  body?: ServiceTemplateBody;
}

const taken = (name: string) => conflict("name", `the owner already has a service template named "${name}"`);

export async function updateServiceTemplate({ ctx, input }: { ctx: Ctx; input: UpdateServiceTemplateInput }) {
  const name = input.name ?? input.body?.name;
  try {
    const row = await db().$transaction(async (tx) => {
      const txCtx = { ...ctx, tx };
      const current = await findServiceTemplate(txCtx, input.id, "update");
      const old = storedBody(current.body);
      if (input.body)
        await checkRoleTemplates(txCtx, input.body, new Set(old.roles.map((r) => r.vm_template)), "body.");
      const nextName = name ?? current.name;
      const nextDescription = input.description ?? input.body?.description ?? current.description;
      if (
        nextName !== current.name &&
        (await tx.serviceTemplate.findFirst({ where: { ownerId: current.ownerId, name: nextName } }))
      )
        throw taken(nextName);
      const body = (input.body ?? old) as ServiceTemplateBody;
      const updated = await tx.serviceTemplate.update({
        where: { id: current.id },
        data: { name: nextName, description: nextDescription, body: bodyJson(body, nextName, nextDescription) },
        include: serviceTemplateInclude,
      });
      await recordAudit(txCtx, {
        action: "service-template.update",
        objectType: "SERVICE_TEMPLATE",
        objectId: current.id,
        objectName: updated.name,
        details: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.body ? { roles: input.body.roles.map((r) => r.name) } : {}),
        },
      });
      return updated;
    });
    return (await serviceTemplateDtos(db(), [row], subjectOf(ctx)))[0];
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(name ?? "this name");
    throw err;
  }
}
