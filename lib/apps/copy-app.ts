import { reserveTransferSlot } from "@/lib/quotas/reserve-transfer";
import { db } from "@/lib/db/client";
import { subjectOf, type Ctx, type DbLike } from "@/lib/auth/context";
import { AppError, conflict, forbidden, invalid, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { appKey } from "@/lib/markets/app-key";
import { nameFor } from "@/lib/permissions/references";
import { appRights } from "@/lib/permissions/rights";
import { checkReadable } from "./check-readable";
import { appInclude, appJobs, toAppDetailDto, toAppDto, type AppRow } from "./app-dto";
import { loadAppTree, type TreeNode } from "./app-tree";
import { copyAppJob, serviceTemplateOfCopy, vmTemplateOfCopy, type CopyPayload } from "./copy-app-job";
import { findApp } from "./find-app";
import { claimAppName, publishTarget } from "./publish-target";

/** A large service makes many rows in one transaction: more than Prisma's default 5 s may pass. */
const TX_OPTIONS = { timeout: 30_000, maxWait: 10_000 };

export interface CopyAppInput {
  id: number;
  marketplaceId: number;
  /** the copy's name; the app's own when not given (its parts always keep theirs) */
  name?: string;
}

/** A part of the app being copied, and where it sits (for messages). */
interface Part {
  app: AppRow;
  /** "part DISK 0 of vm" */
  where: string;
}

interface Source {
  root: AppRow;
  /** every part once (an app two disks or roles share is one part), leaves first */
  parts: Part[];
  /** the child links between the source apps, as the copies get them */
  links: CopyPayload["links"];
}

type Market = Awaited<ReturnType<typeof publishTarget>>;

/**
 * Copies (mirrors) a READY app with its parts — from any marketplace, public or private, of
 * any zone — into a private marketplace of this zone: the way an air-gapped cloud gets public
 * appliances (copy once where there is internet, import anywhere). The user needs USE on the
 * app and on every part, and what a publish into the marketplace needs. The copies are the
 * user's, LOCKED until one job has copied and verified every image's bytes; then they become
 * READY together, tied as their sources are and naming each other in their templates. They
 * carry every attribute of their source but its public catalog identity: a copy is a private
 * app. A failure or a cancel removes every copy.
 */
export async function copyApp({ ctx, input }: { ctx: Ctx; input: CopyAppInput }) {
  const source = await readSource(ctx, input.id);
  if (!ctx.user.createRights.includes("MARKETPLACE_APP"))
    throw forbidden("Your groups may not create apps; ask an administrator for the create right");
  const market = await copyTarget(ctx, input.marketplaceId, source);
  checkTemplates(source);
  const name = input.name ?? source.root.name;
  try {
    const { rootId, ids, jobId } = await db().$transaction(async (tx) => {
      await reserveTransferSlot(tx, ctx, "marketplaceId");
      await claimNames(tx, market, source, name);
      const copyOf = await createCopies(tx, ctx, market, source, name);
      const rootId = copyOf.get(source.root.id)!;
      const payload: CopyPayload = {
        appId: rootId,
        copies: [...copyOf].map(([sourceId, copyId]) => ({ sourceId, copyId })),
        links: source.links.map((l) => ({ ...l, parentId: copyOf.get(l.parentId)!, childId: copyOf.get(l.childId)! })),
      };
      const job = await enqueueCopy(tx, ctx, market, source, payload, name);
      await auditCopy(tx, ctx, market, source, payload, name);
      return { rootId, ids: payload.copies.map((c) => c.copyId), jobId: job.id };
    }, TX_OPTIONS);
    return { jobId, ...(await copiesDto(ctx, rootId, ids)) };
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict("name", `one of the names of this copy was taken in marketplace ${market.name} meanwhile`);
    throw err;
  }
}

/** The app and its parts, each one the user may use and READY in a marketplace that serves its bytes. */
async function readSource(ctx: Ctx, id: number): Promise<Source> {
  const root = await findApp(ctx, id, "use");
  checkReadable(ctx, root, "", "copied");
  const parts = new Map<number, Part>();
  const links = new Map<string, CopyPayload["links"][number]>();
  const visit = async (parent: AppRow, nodes: TreeNode[]) => {
    for (const node of nodes) {
      links.set(`${parent.id}:${node.position}`, {
        parentId: parent.id,
        position: node.position,
        childId: node.app.id,
        slot: node.slot,
      });
      const where = `part ${node.slot} of ${parent.name}`;
      const known = parts.get(node.app.id);
      const app = known?.app ?? (await partApp(ctx, node.app.id, where));
      await visit(app, node.children);
      if (!known) parts.set(app.id, { app, where });
    }
  };
  if (root.type !== "IMAGE") await visit(root, await loadAppTree(db(), root.id));
  return { root, parts: [...parts.values()], links: [...links.values()] };
}

async function partApp(ctx: Ctx, id: number, where: string): Promise<AppRow> {
  let app: AppRow;
  try {
    app = await findApp(ctx, id, "use");
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `${capitalized(where)}: ${err.message}`);
    throw err;
  }
  checkReadable(ctx, app, ` (${where})`, "copied");
  return app;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const imageApps = (source: Source) =>
  [source.root, ...source.parts.map((p) => p.app)].filter((a) => a.type === "IMAGE");

/** A marketplace the user may publish into (see publishTarget), other than the one the app is in. */
async function copyTarget(ctx: Ctx, marketplaceId: number, source: Source): Promise<Market> {
  const bytes = imageApps(source).reduce((sum, a) => sum + Number(a.sizeBytes), 0);
  const market = await publishTarget(ctx, marketplaceId, bytes);
  const inside = [source.root, ...source.parts.map((p) => p.app)].find((a) => a.marketplaceId === market.id);
  if (inside)
    throw invalid(
      "marketplaceId",
      `app ${inside.name} is in marketplace ${market.name} already; copy into another marketplace`,
    );
  return market;
}

/** The templates the composite apps carry must name only their parts, which the copy renames. */
function checkTemplates(source: Source) {
  const ids = new Map([source.root, ...source.parts.map((p) => p.app)].map((a) => [a.id, a.id]));
  for (const app of [source.root, ...source.parts.map((p) => p.app)]) {
    try {
      if (app.type === "VMTEMPLATE") vmTemplateOfCopy(app.vmTemplate, ids);
      if (app.type === "SERVICE_TEMPLATE") serviceTemplateOfCopy(app.serviceTemplate, ids, app.name);
    } catch (err) {
      throw new AppError(
        "WRONG_STATE",
        `App ${app.name} carries a template that cannot be copied: ${(err as Error).message}`,
      );
    }
  }
}

/** Inside the transaction: the copy takes `name`, its parts their own names, all free in the marketplace. */
async function claimNames(tx: DbLike, market: Market, source: Source, name: string) {
  await claimAppName(tx, market, name);
  const taken = new Map([[name, "the copy"]]);
  for (const { app, where } of source.parts) {
    const clash = taken.get(app.name);
    if (clash === "the copy")
      throw conflict("name", `"${name}" is also the name of ${where}, which is copied along; choose another name`);
    if (clash || (await tx.marketplaceApp.findFirst({ where: { marketplaceId: market.id, name: app.name } })))
      throw conflict(
        "marketplaceId",
        `marketplace ${market.name} already has an app named "${app.name}" (${where}, which is copied along)`,
      );
    taken.set(app.name, where);
  }
}

/** One LOCKED copy per app, parts first; answers the copy of each source app, the root's last. */
async function createCopies(tx: DbLike, ctx: Ctx, market: Market, source: Source, name: string) {
  const copyOf = new Map<number, number>();
  const owner = {
    zoneId: ctx.zone.id,
    ownerId: ctx.user.id,
    groupId: ctx.user.primaryGroupId,
    ...appRights(subjectOf(ctx), ctx.user.umask, market),
  };
  for (const [app, copyName] of [
    ...source.parts.map((p): [AppRow, string] => [p.app, p.app.name]),
    [source.root, name] as [AppRow, string],
  ]) {
    const row = await tx.marketplaceApp.create({
      data: {
        ...owner,
        name: copyName,
        marketplaceId: market.id,
        type: app.type,
        state: "LOCKED",
        description: app.description,
        shortDescription: app.shortDescription,
        logoUrl: app.logoUrl,
        version: app.version,
        publisher: app.publisher,
        tags: app.tags,
        hypervisor: app.hypervisor,
        architecture: app.architecture,
        format: app.format,
        sizeBytes: app.sizeBytes,
        virtualSizeBytes: app.virtualSizeBytes,
        md5: app.md5,
        sha256: app.sha256,
        imageTemplate: app.imageTemplate,
        vmTemplate: app.vmTemplate,
        serviceTemplate: app.serviceTemplate,
      },
    });
    if (app.type === "IMAGE")
      await tx.marketplaceApp.update({ where: { id: row.id }, data: { storageKey: appKey(row.id) } });
    copyOf.set(app.id, row.id);
  }
  return copyOf;
}

async function enqueueCopy(tx: DbLike, ctx: Ctx, market: Market, source: Source, payload: CopyPayload, name: string) {
  const { root } = source;
  const from = nameFor(subjectOf(ctx), root.marketplace, "MARKETPLACE");
  return enqueueJob(tx, copyAppJob, {
    zoneId: ctx.zone.id,
    payload,
    title: `Copy app ${root.name} from marketplace ${from} to ${market.name}${name === root.name ? "" : ` as ${name}`}`,
    objectType: "MARKETPLACE_APP",
    objectId: payload.appId,
    createdById: ctx.user.id,
    bytesTotal: imageApps(source).reduce((sum, a) => sum + Number(a.sizeBytes), 0),
  });
}

async function auditCopy(tx: DbLike, ctx: Ctx, market: Market, source: Source, payload: CopyPayload, name: string) {
  const { root } = source;
  await recordAudit(
    { ...ctx, tx },
    {
      action: "app.copy",
      objectType: "MARKETPLACE_APP",
      objectId: payload.appId,
      objectName: name,
      details: {
        sourceAppId: root.id,
        sourceMarketplaceId: root.marketplaceId,
        marketplaceId: market.id,
        copies: payload.copies,
      },
    },
  );
}

/** The copy with its job, and every copy the job makes (the copy first, then its parts). */
async function copiesDto(ctx: Ctx, rootId: number, ids: number[]) {
  const rows = new Map(
    (await db().marketplaceApp.findMany({ where: { id: { in: ids } }, include: appInclude })).map((a) => [a.id, a]),
  );
  const jobs = await appJobs(db(), ids);
  const viewer = subjectOf(ctx);
  const order = [rootId, ...ids.filter((i) => i !== rootId)];
  return {
    app: await toAppDetailDto(db(), rows.get(rootId)!, viewer),
    created: order.map((i) => toAppDto(rows.get(i)!, viewer, jobs.get(i) ?? null)),
  };
}
