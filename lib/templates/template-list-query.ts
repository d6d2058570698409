import { containsInsensitive } from "@/lib/db/provider-where";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { whereHolds } from "@/lib/permissions/visibility";

/** The list query VM templates and service templates share: same filters, same sort keys. */
export interface TemplateListInput {
  page: number;
  perPage: number;
  sort: "id" | "name" | "createdAt" | "updatedAt";
  order: "asc" | "desc";
  q?: string;
  mine?: boolean;
}

/** Templates of this zone the caller may USE, narrowed by owner and a name/description search. */
export function templateListWhere(ctx: Ctx, input: TemplateListInput) {
  return {
    AND: [
      { zoneId: ctx.zone.id },
      whereHolds(subjectOf(ctx)),
      input.mine ? { ownerId: ctx.user.id } : {},
      input.q ? { OR: [{ name: containsInsensitive(input.q) }, { description: containsInsensitive(input.q) }] } : {},
    ],
  };
}

export function templateListPage(input: TemplateListInput) {
  return {
    orderBy: [{ [input.sort]: input.order }, { id: "asc" as const }],
    skip: (input.page - 1) * input.perPage,
    take: input.perPage,
  };
}
