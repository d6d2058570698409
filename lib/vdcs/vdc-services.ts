import { db, type Prisma } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/provider-where";
import type { Ctx, DbLike } from "@/lib/auth/context";
import { conflict, forbidden, invalid, isUniqueViolation, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { existingGroupIds } from "@/lib/users/guards";
import type { VdcResourceType } from "@/lib/permissions/vdc-grants";

// VDCs map groups to the resources (per zone) they may use; their services share this file.
// What a VDC grants is decided in lib/permissions/vdc-grants.ts.

interface VdcResourceInput {
  zoneId: number;
  resourceType: VdcResourceType;
  /** null: every resource of the type in the zone */
  resourceId: number | null;
}

const include = {
  groups: { include: { group: { select: { id: true, name: true } } }, orderBy: { groupId: "asc" as const } },
  resources: { include: { zone: { select: { name: true } } }, orderBy: { id: "asc" as const } },
};

type VdcRow = Prisma.VdcGetPayload<{ include: typeof include }>;

/** The names of the resources a VDC names (every VDC resource exists: deleting one removes it). */
async function resourceNames(rows: VdcRow[]) {
  const ids = (type: VdcResourceType) =>
    rows
      .flatMap((v) => v.resources.filter((r) => r.resourceType === type && r.resourceId !== null))
      .map((r) => r.resourceId as number);
  const [datastores, marketplaces] = await Promise.all([
    db().datastore.findMany({ where: { id: { in: ids("DATASTORE") } }, select: { id: true, name: true } }),
    db().marketplace.findMany({ where: { id: { in: ids("MARKETPLACE") } }, select: { id: true, name: true } }),
  ]);
  return {
    DATASTORE: new Map(datastores.map((d) => [d.id, d.name])),
    MARKETPLACE: new Map(marketplaces.map((m) => [m.id, m.name])),
  };
}

type Names = Awaited<ReturnType<typeof resourceNames>>;

function toVdcDto(v: VdcRow, names: Names) {
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    groups: v.groups.map((g) => g.group),
    resources: v.resources.map((r) => {
      const type = r.resourceType as VdcResourceType;
      return {
        zoneId: r.zoneId,
        zoneName: r.zone.name,
        resourceType: type,
        resourceId: r.resourceId,
        resourceName: r.resourceId === null ? null : (names[type].get(r.resourceId) ?? `#${r.resourceId}`),
      };
    }),
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
  const names = await resourceNames(rows);
  return { items: rows.map((v) => toVdcDto(v, names)), total, page: input.page, perPage: input.perPage };
}

export async function getVdc({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const vdc = await db().vdc.findFirst({ where: { id: input.id, ...visible(ctx) }, include });
  if (!vdc) throw notFound(`VDC ${input.id}`);
  return toVdcDto(vdc, await resourceNames([vdc]));
}

/** Every zone and resource named must exist, each resource in the zone it is named with. */
async function checkResources(tx: DbLike, resources: VdcResourceInput[]) {
  const zoneIds = [...new Set(resources.map((r) => r.zoneId))];
  const found = await tx.zone.findMany({ where: { id: { in: zoneIds } }, select: { id: true } });
  const missing = zoneIds.filter((id) => !found.some((z) => z.id === id));
  if (missing.length) throw invalid("resources", `no zone with id ${missing.join(", ")}`);
  const named = (type: VdcResourceType) =>
    resources.filter((r) => r.resourceType === type && r.resourceId !== null) as (VdcResourceInput & {
      resourceId: number;
    })[];
  const [datastores, marketplaces] = await Promise.all([
    tx.datastore.findMany({
      where: { id: { in: named("DATASTORE").map((r) => r.resourceId) } },
      select: { id: true, zoneId: true },
    }),
    tx.marketplace.findMany({
      where: { id: { in: named("MARKETPLACE").map((r) => r.resourceId) } },
      select: { id: true, zoneId: true },
    }),
  ]);
  const check = (type: VdcResourceType, rows: { id: number; zoneId: number }[], label: string) => {
    for (const r of named(type)) {
      const row = rows.find((x) => x.id === r.resourceId);
      if (!row) throw invalid("resources", `no ${label} with id ${r.resourceId}`);
      if (row.zoneId !== r.zoneId) throw invalid("resources", `${label} ${r.resourceId} is not in zone ${r.zoneId}`);
    }
  };
  check("DATASTORE", datastores, "datastore");
  check("MARKETPLACE", marketplaces, "marketplace");
}

/** One row per resource; "every one of the zone" makes the named ones of that zone redundant. */
function dedupe(resources: VdcResourceInput[]) {
  const all = new Set(resources.filter((r) => r.resourceId === null).map((r) => `${r.zoneId}/${r.resourceType}`));
  const kept = resources.filter((r) => r.resourceId === null || !all.has(`${r.zoneId}/${r.resourceType}`));
  return [...new Map(kept.map((r) => [`${r.zoneId}/${r.resourceType}/${r.resourceId ?? "ALL"}`, r])).values()];
}

/** What deleting a datastore or marketplace does to the VDCs that grant it. */
export async function forgetVdcResource(tx: DbLike, resourceType: VdcResourceType, resourceId: number) {
  await tx.vdcResource.deleteMany({ where: { resourceType, resourceId } });
}

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
      await checkResources(tx, input.resources);
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
      return toVdcDto(vdc, await resourceNames([vdc]));
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
        await tx.vdcGroup.createMany({ data: ids.map((groupId) => ({ vdcId: id, groupId })) });
      }
      if (resources) {
        await checkResources(tx, resources);
        await tx.vdcResource.deleteMany({ where: { vdcId: id } });
        await tx.vdcResource.createMany({ data: dedupe(resources).map((r) => ({ vdcId: id, ...r })) });
      }
      await recordAudit(
        { ...ctx, tx },
        { action: "vdc.update", objectType: "VDC", objectId: id, objectName: fields.name ?? vdc.name, details: input },
      );
      const row = await tx.vdc.findUniqueOrThrow({ where: { id }, include });
      return toVdcDto(row, await resourceNames([row]));
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
