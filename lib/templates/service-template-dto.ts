import type { Prisma } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { refTo, rightsSelect, type HiddenRef } from "@/lib/permissions/references";
import type { Subject } from "@/lib/permissions/rights";
import { ownershipInclude, toOwnershipDto } from "@/lib/permissions/shared-dto";

export const serviceTemplateInclude = {
  ...ownershipInclude,
  zone: { select: { id: true, name: true } },
} satisfies Prisma.ServiceTemplateInclude;

export type ServiceTemplateRow = Prisma.ServiceTemplateGetPayload<{ include: typeof serviceTemplateInclude }>;

export interface StoredRole {
  name: string;
  cardinality: number;
  vm_template: number;
  parents?: string[];
  [key: string]: unknown;
}

export interface StoredBody {
  name?: string;
  description?: string;
  deployment?: string;
  roles: StoredRole[];
  [key: string]: unknown;
}

/** The stored OneFlow document (validated on save; anything else reads as no roles). */
export function storedBody(json: string): StoredBody {
  try {
    const body = JSON.parse(json);
    if (body && typeof body === "object" && Array.isArray(body.roles)) return body as StoredBody;
  } catch {
    // fall through
  }
  return { roles: [] };
}

type RoleTemplate = { id: number; name: string } | HiddenRef;

/**
 * The VM templates the roles of these service templates use, in one query for a whole page, as
 * the viewer may see them: a VM template they may not use shows its id alone.
 */
export async function roleTemplates(db: DbLike, rows: { body: string }[], viewer: Subject) {
  const ids = [...new Set(rows.flatMap((r) => storedBody(r.body).roles.map((role) => role.vm_template)))].filter(
    (id): id is number => Number.isInteger(id),
  );
  if (ids.length === 0) return new Map<number, RoleTemplate>();
  const found = await db.vmTemplate.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, ...rightsSelect },
  });
  return new Map<number, RoleTemplate>(found.map((t) => [t.id, refTo(viewer, t, ({ id, name }) => ({ id, name }))]));
}

export function toServiceTemplateDto(row: ServiceTemplateRow, templates: Map<number, RoleTemplate>) {
  const body = storedBody(row.body);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    deployment: body.deployment === "straight" ? ("straight" as const) : ("none" as const),
    roles: body.roles.map((r) => ({
      name: String(r.name),
      cardinality: Number(r.cardinality) || 0,
      parents: Array.isArray(r.parents) ? r.parents.map(String) : [],
      vmTemplate: templates.get(r.vm_template) ?? null,
      vmTemplateId: r.vm_template,
    })),
    body: { ...body, name: row.name, description: row.description },
    fromAppId: row.fromAppId,
    zone: row.zone,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...toOwnershipDto(row),
  };
}

export async function serviceTemplateDtos(db: DbLike, rows: ServiceTemplateRow[], viewer: Subject) {
  const templates = await roleTemplates(db, rows, viewer);
  return rows.map((r) => toServiceTemplateDto(r, templates));
}
