import type { z } from "zod";
import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import type { Ctx } from "@/lib/auth/context";
import type { listAuditEvents } from "@/lib/api/operations/audit";
import type { Page } from "@/lib/api/schemas";
import { forbidden } from "@/lib/errors";

type Input = z.output<NonNullable<typeof listAuditEvents.query>>;

export async function listAuditEventsService({ ctx, input }: { ctx: Ctx; input: Input }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may read the audit log");
  const where: Prisma.AuditEventWhereInput = {
    ...(input.objectType ? { objectType: input.objectType } : {}),
    ...(input.objectId ? { objectId: input.objectId } : {}),
    ...(input.action ? { action: input.action } : {}),
    ...(input.actorId ? { actorId: input.actorId } : {}),
    ...(input.q
      ? {
          OR: [
            { actorName: containsInsensitive(input.q) },
            { objectName: containsInsensitive(input.q) },
            { action: containsInsensitive(input.q) },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().auditEvent.findMany({
      where,
      orderBy: [{ [input.sort]: input.order }, { id: input.order }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().auditEvent.count({ where }),
  ]);
  const items = rows.map((r) => ({ ...r, details: safeJson(r.details) }));
  return { items, total, page: input.page, perPage: input.perPage } satisfies Page<unknown>;
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}
