import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { whereHolds } from "@/lib/permissions/visibility";
import { datastoreInclude, toDatastoreDto } from "./datastore-dto";

interface Input {
  page: number;
  perPage: number;
  sort: "id" | "name" | "type" | "createdAt";
  order: "asc" | "desc";
  q?: string;
  type?: "IMAGE" | "FILE";
  enabled?: boolean;
}

/** Datastores are local: the local zone's, limited to those the user may USE. */
export async function listDatastores({ ctx, input }: { ctx: Ctx; input: Input }) {
  const where: Prisma.DatastoreWhereInput = {
    AND: [
      { zoneId: ctx.zone.id },
      whereHolds(subjectOf(ctx), "USE", "DATASTORE"),
      input.type ? { type: input.type } : {},
      input.enabled !== undefined ? { enabled: input.enabled } : {},
      input.q ? { OR: [{ name: containsInsensitive(input.q) }, { description: containsInsensitive(input.q) }] } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db().datastore.findMany({
      where,
      include: datastoreInclude,
      orderBy: [{ [input.sort]: input.order }, { id: "asc" }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().datastore.count({ where }),
  ]);
  return { items: await Promise.all(rows.map(toDatastoreDto)), total, page: input.page, perPage: input.perPage };
}
