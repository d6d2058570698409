import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { whereHolds } from "@/lib/permissions/visibility";
import { vmTemplateDtos, vmTemplateInclude } from "./vm-template-dto";

interface Input {
  page: number;
  perPage: number;
  sort: "id" | "name" | "createdAt" | "updatedAt";
  order: "asc" | "desc";
  q?: string;
  mine?: boolean;
}

export async function listVmTemplates({ ctx, input }: { ctx: Ctx; input: Input }) {
  const where: Prisma.VmTemplateWhereInput = {
    AND: [
      { zoneId: ctx.zone.id },
      whereHolds(subjectOf(ctx)),
      input.mine ? { ownerId: ctx.user.id } : {},
      input.q ? { OR: [{ name: containsInsensitive(input.q) }, { description: containsInsensitive(input.q) }] } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db().vmTemplate.findMany({
      where,
      include: vmTemplateInclude,
      orderBy: [{ [input.sort]: input.order }, { id: "asc" }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().vmTemplate.count({ where }),
  ]);
  return { items: await vmTemplateDtos(db(), rows), total, page: input.page, perPage: input.perPage };
}
