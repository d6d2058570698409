import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import type { Ctx, DbLike } from "@/lib/auth/context";
import { conflict, forbidden, invalid, isUniqueViolation, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { existingGroupIds } from "@/lib/users/guards";

// VDCs map groups to the resources (per zone) they may use; their services share this file.

interface VdcResourceInput {
  zoneId: number;
  resourceType: "DATASTORE";
  resourceId: number;
}

const include = {
  groups: { include: { group: { select: { id: true, name: true } } }, orderBy: { groupId: "asc" as const } },
  resources: { include: { zone: { select: { name: true } } }, orderBy: { id: "asc" as const } },
};

type VdcRow = Prisma.VdcGetPayload<{ include: typeof include }>;

function toVdcDto(v: VdcRow) {
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    groups: v.groups.map((g) => g.group),
    resources: v.resources.map((r) => ({
      zoneId: r.zoneId,
      zoneName: r.zone.name,
      resourceType: r.resourceType,
      resourceId: r.resourceId,
    })),
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}

/** Admins see every VDC; other users the VDCs that contain one of their groups. */
const visible = (ctx: Ctx): Prisma.VdcWhereInput =>
  ctx.user.isAdmin ? {} : { groups: { some: { groupId: { in: ctx.user.groupIds } } } };

export async function listVdcs({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { page: number; perPage: number; sort: "id" | "name" | "createdAt"; order: "asc" | "desc"; q?: string };
}) {
  const where: Prisma.VdcWhereInput = { ...visible(ctx), ...(input.q ? { name: containsInsensitive(input.q) } : {}) };
  const [rows, total] = await Promise.all([
    db().vdc.findMany({
      where,
      include,
      orderBy: [{ [input.sort]: input.order }, { id: "asc" }],
      skip: (input.page - 1) * input.perPage,
      take: input.perPage,
    }),
    db().vdc.count({ where }),
  ]);
  return { items: rows.map(toVdcDto), total, page: input.page, perPage: input.perPage };
}

export async function getVdc({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const vdc = await db().vdc.findFirst({ where: { id: input.id, ...visible(ctx) }, include });
  if (!vdc) throw notFound(`VDC ${input.id}`);
  return toVdcDto(vdc);
}

async function checkZones(tx: DbLike, resources: VdcResourceInput[]) {
  const zoneIds = [...new Set(resources.map((r) => r.zoneId))];
  const found = await tx.zone.findMany({ where: { id: { in: zoneIds } }, select: { id: true } });
  const missing = zoneIds.filter((id) => !found.some((z) => z.id === id));
  if (missing.length) throw invalid("resources", `no zone with id ${missing.join(", ")}`);
}

const dedupe = (resources: VdcResourceInput[]) => [
  ...new Map(resources.map((r) => [`${r.zoneId}/${r.resourceType}/${r.resourceId}`, r])).values(),
];

export async function createVdc({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { name: string; description: string; groupIds: number[]; resources: VdcResourceInput[] };
}) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may create VDCs");
  try {
    return await db().$transaction(async (tx) => {
      if (await tx.vdc.findUnique({ where: { name: input.name } }))
        throw conflict("name", `a VDC named "${input.name}" exists`);
      const groupIds = await existingGroupIds(tx, input.groupIds, "groupIds");
      await checkZones(tx, input.resources);
      const vdc = await tx.vdc.create({
        data: {
          name: input.name,
          description: input.description,
          groups: { create: groupIds.map((groupId) => ({ groupId })) },
          resources: { create: dedupe(input.resources) },
        },
        include,
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "vdc.create",
          objectType: "VDC",
          objectId: vdc.id,
          objectName: vdc.name,
          details: { groupIds, resources: input.resources },
        },
      );
      return toVdcDto(vdc);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `a VDC named "${input.name}" exists`);
    throw err;
  }
}

export async function updateVdc({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number; name?: string; description?: string; groupIds?: number[]; resources?: VdcResourceInput[] };
}) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may edit VDCs");
  const { id, groupIds, resources, ...fields } = input;
  try {
    return await db().$transaction(async (tx) => {
      const vdc = await tx.vdc.findUnique({ where: { id } });
      if (!vdc) throw notFound(`VDC ${id}`);
      if (fields.name && fields.name !== vdc.name && (await tx.vdc.findUnique({ where: { name: fields.name } }))) {
        throw conflict("name", `a VDC named "${fields.name}" exists`);
      }
      await tx.vdc.update({ where: { id }, data: fields });
      if (groupIds) {
        const ids = await existingGroupIds(tx, groupIds, "groupIds");
        await tx.vdcGroup.deleteMany({ where: { vdcId: id } });
        for (const groupId of ids) await tx.vdcGroup.create({ data: { vdcId: id, groupId } });
      }
      if (resources) {
        await checkZones(tx, resources);
        await tx.vdcResource.deleteMany({ where: { vdcId: id } });
        for (const r of dedupe(resources)) await tx.vdcResource.create({ data: { vdcId: id, ...r } });
      }
      await recordAudit(
        { ...ctx, tx },
        { action: "vdc.update", objectType: "VDC", objectId: id, objectName: fields.name ?? vdc.name, details: input },
      );
      return toVdcDto(await tx.vdc.findUniqueOrThrow({ where: { id }, include }));
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `a VDC named "${fields.name}" exists`);
    throw err;
  }
}

export async function deleteVdc({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may delete VDCs");
  await db().$transaction(async (tx) => {
    const vdc = await tx.vdc.findUnique({ where: { id: input.id } });
    if (!vdc) throw notFound(`VDC ${input.id}`);
    await tx.vdc.delete({ where: { id: vdc.id } });
    await recordAudit(
      { ...ctx, tx },
      { action: "vdc.delete", objectType: "VDC", objectId: vdc.id, objectName: vdc.name },
    );
  });
}
