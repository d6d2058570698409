import { db } from "@/lib/db/client";
import { subjectOf, type Ctx, type DbLike } from "@/lib/auth/context";
import { nameFor, rightsSelect } from "@/lib/permissions/references";
import type { Subject } from "@/lib/permissions/rights";
import { forbidden, invalid, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { QuotasDto, QuotasInput } from "@/lib/api/operations/quotas";
import { datastoreUsage, transfersUnderWay, usageByDatastore, type QuotaScope } from "./quota-usage";

export type QuotaOwner = { kind: "user"; id: number } | { kind: "group"; id: number };

const scopeOf = (owner: QuotaOwner): QuotaScope =>
  owner.kind === "user" ? { userId: owner.id } : { groupId: owner.id };
const whereOwner = (owner: QuotaOwner) => (owner.kind === "user" ? { userId: owner.id } : { groupId: owner.id });

/** The user or group, if it exists; its name for messages and the audit. */
async function ownerName(dbx: DbLike, owner: QuotaOwner): Promise<string> {
  const row =
    owner.kind === "user"
      ? await dbx.user.findUnique({ where: { id: owner.id }, select: { username: true } }).then((u) => u && u.username)
      : await dbx.group.findUnique({ where: { id: owner.id }, select: { name: true } }).then((g) => g && g.name);
  if (row === null) throw notFound(`${owner.kind === "user" ? "User" : "Group"} ${owner.id}`);
  return row;
}

/** Admins see every quota; a user their own and their groups'. Others' do not exist for them. */
function checkMayRead(ctx: Ctx, owner: QuotaOwner) {
  if (ctx.user.isAdmin) return;
  const mine = owner.kind === "user" ? owner.id === ctx.user.id : ctx.user.groupIds.includes(owner.id);
  if (!mine) throw notFound(`${owner.kind === "user" ? "User" : "Group"} ${owner.id}`);
}

/** The quotas of a user or group with what it uses now (reservations of transfers under way included). */
export async function quotasOf(dbx: DbLike, owner: QuotaOwner, viewer: Subject): Promise<QuotasDto> {
  const scope = scopeOf(owner);
  // one after the other: in a transaction the queries share one connection
  const rows = await dbx.quota.findMany({ where: whereOwner(owner) });
  const byDatastore = await usageByDatastore(dbx, scope);
  const all = await datastoreUsage(dbx, scope, null);
  const transfers = await transfersUnderWay(dbx, scope);
  const allRow = rows.find((r) => r.datastoreId === null);
  const ids = [
    ...new Set([...rows.flatMap((r) => (r.datastoreId === null ? [] : [r.datastoreId])), ...byDatastore.keys()]),
  ];
  // a datastore the viewer may not use is named by its number, as everywhere
  const found = await dbx.datastore.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, zoneId: true, ...rightsSelect },
  });
  const names = new Map(found.map((d) => [d.id, nameFor(viewer, d, "DATASTORE")]));
  const num = (v: bigint | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    transfers: { limit: num(allRow?.maxTransfers), used: transfers },
    datastores: [
      {
        datastore: null,
        bytes: { limit: num(allRow?.maxBytes), used: all.bytes },
        images: { limit: num(allRow?.maxImages), used: all.images },
      },
      ...ids
        .sort((a, b) => a - b)
        .map((id) => {
          const row = rows.find((r) => r.datastoreId === id);
          const used = byDatastore.get(id) ?? { bytes: 0, images: 0 };
          return {
            datastore: { id, name: names.get(id) ?? `#${id}` },
            bytes: { limit: num(row?.maxBytes), used: used.bytes },
            images: { limit: num(row?.maxImages), used: used.images },
          };
        }),
    ],
  };
}

export async function getQuotas({ ctx, input }: { ctx: Ctx; input: QuotaOwner }) {
  checkMayRead(ctx, input);
  await ownerName(db(), input);
  return quotasOf(db(), input, subjectOf(ctx));
}

/**
 * Replaces the quotas of a user or group (admins). A limit below what is used now is allowed,
 * as in OpenNebula: nothing is taken away, but no transfer that adds more starts.
 */
export async function setQuotas({ ctx, input }: { ctx: Ctx; input: QuotaOwner & { quotas: QuotasInput } }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may set quotas");
  const { quotas, ...owner } = input;
  const seen = new Set<number | null>();
  for (const [i, d] of quotas.datastores.entries()) {
    if (seen.has(d.datastoreId))
      throw invalid(
        `datastores.${i}.datastoreId`,
        d.datastoreId === null ? "all datastores are listed twice" : `datastore ${d.datastoreId} is listed twice`,
      );
    seen.add(d.datastoreId);
  }
  return db().$transaction(async (tx) => {
    const name = await ownerName(tx, owner);
    const ids = quotas.datastores.flatMap((d) => (d.datastoreId === null ? [] : [d.datastoreId]));
    const found = new Set(
      (await tx.datastore.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((d) => d.id),
    );
    for (const [i, d] of quotas.datastores.entries())
      if (d.datastoreId !== null && !found.has(d.datastoreId))
        throw invalid(`datastores.${i}.datastoreId`, `no datastore with id ${d.datastoreId}`);
    await tx.quota.deleteMany({ where: whereOwner(owner) });
    const all = quotas.datastores.find((d) => d.datastoreId === null);
    const rows = [
      {
        datastoreId: null,
        maxBytes: all?.maxBytes ?? null,
        maxImages: all?.maxImages ?? null,
        maxTransfers: quotas.maxTransfers,
      },
      ...quotas.datastores.filter((d) => d.datastoreId !== null).map((d) => ({ ...d, maxTransfers: null })),
    ].filter((r) => r.maxBytes !== null || r.maxImages !== null || r.maxTransfers !== null);
    for (const r of rows)
      await tx.quota.create({
        data: {
          ...whereOwner(owner),
          datastoreId: r.datastoreId,
          maxBytes: r.maxBytes === null ? null : BigInt(r.maxBytes),
          maxImages: r.maxImages,
          maxTransfers: r.maxTransfers,
        },
      });
    await recordAudit(
      { ...ctx, tx },
      {
        action: `${owner.kind}.quotas`,
        objectType: owner.kind === "user" ? "USER" : "GROUP",
        objectId: owner.id,
        objectName: name,
        details: quotas,
      },
    );
    return quotasOf(tx, owner, subjectOf(ctx));
  });
}
