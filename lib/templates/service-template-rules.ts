import { db } from "@/lib/db/client";
import { subjectOf, type Ctx, type DbLike } from "@/lib/auth/context";
import { AppError, type InvalidParam } from "@/lib/errors";
import { decide } from "@/lib/permissions/operations";
import { rightsSelect } from "@/lib/permissions/references";
import { whereHolds } from "@/lib/permissions/visibility";
import type { ServiceTemplateBody } from "./service-template-body";
import { storedBody } from "./service-template-dto";

/**
 * Every role's VM template must be one of this zone the user may USE. Templates in `kept`
 * (the ones the service already used) are not checked again, as for a VM template's images.
 */
export async function checkRoleTemplates(
  ctx: Ctx,
  body: ServiceTemplateBody,
  kept: ReadonlySet<number> = new Set(),
  /** where the body sits in the request ("body." in an update), for the field names */
  prefix = "",
): Promise<void> {
  const subject = subjectOf(ctx);
  const ids = [...new Set(body.roles.map((r) => r.vm_template))].filter((id) => !kept.has(id));
  const found = await (ctx.tx ?? db()).vmTemplate.findMany({
    where: { AND: [{ id: { in: ids }, zoneId: ctx.zone.id }, whereHolds(subject)] },
  });
  const usable = new Set(found.filter((t) => decide(subject, t, "use").allowed).map((t) => t.id));
  const problems: InvalidParam[] = body.roles.flatMap((role, i) =>
    kept.has(role.vm_template) || usable.has(role.vm_template)
      ? []
      : [
          {
            name: `${prefix}roles.${i}.vm_template`,
            reason: `role ${role.name}: VM template ${role.vm_template} does not exist or you may not use it`,
          },
        ],
  );
  if (problems.length)
    throw new AppError("INVALID", problems.map((p) => p.reason).join("; "), { invalidParams: problems });
}

/** The service templates of a zone whose roles use a VM template. */
export async function serviceTemplatesUsing(client: DbLike, zoneId: number, vmTemplateId: number) {
  const rows = await client.serviceTemplate.findMany({
    // bodies are stored as JSON.stringify writes them: a cheap pre-filter, then the exact check
    where: { zoneId, body: { contains: `"vm_template":${vmTemplateId}` } },
    select: { id: true, name: true, body: true, ...rightsSelect },
    orderBy: { id: "asc" },
  });
  return rows.filter((r) => storedBody(r.body).roles.some((role) => role.vm_template === vmTemplateId));
}

/** The JSON stored for a body: name and description are the columns' values. */
export function bodyJson(body: ServiceTemplateBody, name: string, description: string): string {
  return JSON.stringify({ ...body, name, description });
}
