import { db } from "@/lib/db/client";
import { checkQuotas, lockQuotaRows } from "@/lib/quotas/check-quotas";
import { RESERVING } from "@/lib/quotas/reserve-transfer";
import { subjectOf, type Ctx, type DbLike } from "@/lib/auth/context";
import { AppError, conflict, forbidden, invalid, isUniqueViolation, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { decide } from "./operations";
import { changesAdminBits, holds, octalToRights, rightsToOctal } from "./rights";
import { SHARED_MODELS } from "./shared-models";
import type { ResourceType } from "./resources";

function modelOf(type: ResourceType) {
  const model = SHARED_MODELS[type];
  if (!model) throw new Error(`No shared model registered for ${type}`);
  return model;
}

async function loadVisible(ctx: Ctx, type: ResourceType, id: number) {
  const model = modelOf(type);
  const client = ctx.tx ?? db();
  const row = await model.find(client, id);
  // local objects (datastores, images, templates) belong to their zone only
  const elsewhere = model.local && row?.zoneId !== ctx.zone.id;
  if (!row || elsewhere || !holds(subjectOf(ctx), row, "USE", model.grantKind)) throw notFound(`${model.label} ${id}`);
  // a public catalog's app is everyone's: whoever was given its marketplace may not hide it
  if ((row as { upstreamKey?: string | null }).upstreamKey && !ctx.user.isAdmin)
    throw forbidden(`${model.label} ${row.name} follows its public catalog: only admins change its permissions`);
  return { model, row, client };
}

/** chmod: MANAGE on the object, and ADMIN too when an ADMIN bit changes. */
export async function chmodObject({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { type: ResourceType; id: number; octal: string };
}) {
  const { model, row, client } = await loadVisible(ctx, input.type, input.id);
  const next = octalToRights(input.octal);
  const subject = subjectOf(ctx);
  const manage = decide(subject, row, "chmod");
  if (!manage.allowed)
    throw forbidden(`You may not change the permissions of ${model.label.toLowerCase()} ${row.name}: ${manage.reason}`);
  if (changesAdminBits(row, next)) {
    const admin = decide(subject, row, "chmodAdminBits");
    if (!admin.allowed) throw forbidden(`Changing ADMIN bits needs ADMIN permission on ${row.name}`);
  }
  await model.update(client, row.id, next);
  await recordAudit(ctx, {
    action: "chmod",
    objectType: input.type,
    objectId: row.id,
    objectName: row.name,
    details: { from: rightsToOctal(row), to: input.octal },
  });
}

/**
 * chown: MANAGE on the object. A new owner may be set by admins only; a new group by admins
 * or by members of that group.
 */
/**
 * An image given to another user or group counts against their quotas from then on, as in
 * OpenNebula: refused (403) when it would take them past one, checked with their rows locked.
 */
async function chownImage(ctx: Ctx, id: number, data: { ownerId?: number; groupId?: number }) {
  const run = async (tx: DbLike) => {
    const img = await tx.image.findUniqueOrThrow({ where: { id } });
    const need = {
      userId: data.ownerId ?? null,
      groupId: data.groupId ?? null,
      datastoreId: img.datastoreId,
      bytes: Number(img.sizeBytes + img.reservedBytes),
      images: 1,
      transfers: 0,
      field: data.ownerId !== undefined ? "ownerId" : "groupId",
    };
    await lockQuotaRows(tx, need);
    await checkQuotas(tx, need);
    await tx.image.update({ where: { id }, data });
  };
  await (ctx.tx ? run(ctx.tx) : db().$transaction(run, RESERVING));
}

export async function chownObject({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { type: ResourceType; id: number; ownerId?: number; groupId?: number };
}) {
  const { model, row, client } = await loadVisible(ctx, input.type, input.id);
  const decision = decide(subjectOf(ctx), row, "chown");
  if (!decision.allowed) throw forbidden(`You may not change the ownership of ${row.name}: ${decision.reason}`);
  if (input.ownerId === undefined && input.groupId === undefined) {
    throw new AppError("INVALID", "Give ownerId, groupId or both", {
      invalidParams: [{ name: "ownerId", reason: "nothing to change" }],
    });
  }
  const data: { ownerId?: number; groupId?: number } = {};
  if (input.ownerId !== undefined && input.ownerId !== row.ownerId) {
    if (!ctx.user.isAdmin) throw forbidden("Only admins may give an object to another user");
    const owner = await client.user.findUnique({ where: { id: input.ownerId } });
    if (!owner) throw invalid("ownerId", `no user with id ${input.ownerId}`);
    data.ownerId = owner.id;
  }
  if (input.groupId !== undefined && input.groupId !== row.groupId) {
    const group = await client.group.findUnique({ where: { id: input.groupId } });
    if (!group) throw invalid("groupId", `no group with id ${input.groupId}`);
    if (!ctx.user.isAdmin && !ctx.user.groupIds.includes(group.id)) {
      throw forbidden(`You are not a member of group ${group.name}`);
    }
    data.groupId = group.id;
  }
  if (Object.keys(data).length === 0) return;
  try {
    if (input.type === "IMAGE") await chownImage(ctx, row.id, data);
    else await model.update(client, row.id, data);
  } catch (err) {
    // image names are unique per owner: the new owner may already have one of this name
    if (isUniqueViolation(err))
      throw conflict(
        "ownerId",
        `${model.label} names are unique per owner, and the new owner already has one named "${row.name}"`,
      );
    throw err;
  }
  await recordAudit(ctx, {
    action: "chown",
    objectType: input.type,
    objectId: row.id,
    objectName: row.name,
    details: { from: { ownerId: row.ownerId, groupId: row.groupId }, to: data },
  });
}
