import { getConfig } from "@/lib/config";
import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import type { Ctx } from "@/lib/auth/context";
import { AppError, conflict, forbidden, isUniqueViolation, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { toZoneDto, toZoneStatusDto } from "./zone-dto";
import { forgetZoneHealth } from "./zone-health";

// Zones are few and their operations small, so their services share this file.

export async function listZones({
  input,
}: {
  ctx: Ctx;
  input: { page: number; perPage: number; sort: "id" | "name"; order: "asc" | "desc"; q?: string };
}) {
  const where: Prisma.ZoneWhereInput = input.q ? { name: containsInsensitive(input.q) } : {};
  const [rows, total] = await Promise.all([
    db().zone.findMany({
      where,
      orderBy: { [input.sort]: input.order },
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().zone.count({ where }),
  ]);
  // the zones are asked at once: a page waits for the slowest, within the probe's time limit
  const items = await Promise.all(rows.map(toZoneStatusDto));
  return { items, total, page: input.page, perPage: input.perPage };
}

export async function getZone({ input }: { ctx: Ctx; input: { id: number } }) {
  const zone = await db().zone.findUnique({ where: { id: input.id } });
  if (!zone) throw notFound(`Zone ${input.id}`);
  return toZoneStatusDto(zone);
}

/** The zone the user is signed in to, without asking its portal whether it answers. */
export async function getLocalZone({ ctx }: { ctx: Ctx }) {
  return toZoneDto(await db().zone.findUniqueOrThrow({ where: { id: ctx.zone.id } }));
}

export async function createZone({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { name: string; description: string; endpoint: string | null };
}) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may register zones");
  try {
    const zone = await db().zone.create({ data: input });
    await recordAudit(ctx, {
      action: "zone.create",
      objectType: "ZONE",
      objectId: zone.id,
      objectName: zone.name,
      details: input,
    });
    forgetZoneHealth(zone.endpoint);
    return toZoneStatusDto(zone);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `a zone named "${input.name}" exists`);
    throw err;
  }
}

export async function updateZone({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number; description?: string; endpoint?: string | null };
}) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may edit zones");
  const { id, ...data } = input;
  const existing = await db().zone.findUnique({ where: { id } });
  if (!existing) throw notFound(`Zone ${id}`);
  const zone = await db().zone.update({ where: { id }, data });
  await recordAudit(ctx, {
    action: "zone.update",
    objectType: "ZONE",
    objectId: id,
    objectName: zone.name,
    details: data,
  });
  // a new endpoint is asked anew; the same one after an edit, too (an admin checking it)
  forgetZoneHealth(zone.endpoint);
  return toZoneStatusDto(zone);
}

export async function deleteZone({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may remove zones");
  const zone = await db().zone.findUnique({ where: { id: input.id } });
  if (!zone) throw notFound(`Zone ${input.id}`);
  if (zone.name === getConfig().zoneName) throw new AppError("CONFLICT", "The local zone cannot be removed");
  await db().zone.delete({ where: { id: zone.id } });
  await recordAudit(ctx, { action: "zone.delete", objectType: "ZONE", objectId: zone.id, objectName: zone.name });
}
