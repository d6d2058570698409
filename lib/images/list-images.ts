import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { whereHolds } from "@/lib/permissions/visibility";
import { imageInclude, latestJobs, toImageDto } from "./image-dto";

interface Input {
  page: number;
  perPage: number;
  sort: "id" | "name" | "sizeBytes" | "state" | "createdAt";
  order: "asc" | "desc";
  q?: string;
  datastoreId?: number;
  state?: string;
  type?: string;
  mine?: boolean;
}

export async function listImages({ ctx, input }: { ctx: Ctx; input: Input }) {
  const where: Prisma.ImageWhereInput = {
    AND: [
      { zoneId: ctx.zone.id },
      whereHolds(subjectOf(ctx)),
      input.datastoreId ? { datastoreId: input.datastoreId } : {},
      input.state ? { state: input.state } : {},
      input.type ? { type: input.type } : {},
      input.mine ? { ownerId: ctx.user.id } : {},
      input.q ? { OR: [{ name: containsInsensitive(input.q) }, { description: containsInsensitive(input.q) }] } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db().image.findMany({
      where,
      include: imageInclude,
      orderBy: [{ [input.sort]: input.order }, { id: "asc" }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().image.count({ where }),
  ]);
  const jobs = await latestJobs(
    db(),
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => toImageDto(r, subjectOf(ctx), jobs.get(r.id) ?? null)),
    total,
    page: input.page,
    perPage: input.perPage,
  };
}
