import type { Prisma } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { ownershipInclude, toOwnershipDto } from "@/lib/permissions/shared-dto";
import { latestJobs } from "@/lib/images/image-dto";
import type { toJobSummary } from "@/lib/jobs/job-dto";
import type { MarketDriverName } from "@/lib/markets/drivers/config";
import type { AppChildDto, AppDto } from "@/lib/api/operations/apps";
import { whereHolds } from "@/lib/permissions/visibility";
import type { Subject } from "@/lib/permissions/rights";
import { loadAppTree, treeApps, type TreeNode } from "./app-tree";

export const appInclude = {
  ...ownershipInclude,
  zone: { select: { id: true, name: true } },
  marketplace: { select: { id: true, name: true, driver: true, enabled: true } },
  _count: { select: { children: true } },
} satisfies Prisma.MarketplaceAppInclude;

export type AppRow = Prisma.MarketplaceAppGetPayload<{ include: typeof appInclude }>;

/** Tags are stored as ",a,b," so that `contains: ",a,"` matches exactly one tag. */
export const packTags = (tags: string[]) => (tags.length ? `,${tags.join(",")},` : "");
export const unpackTags = (packed: string) => packed.split(",").filter(Boolean);

export async function appJobs(db: DbLike, ids: number[]) {
  return latestJobs(db, ids, "MARKETPLACE_APP");
}

export function toAppDto(app: AppRow, job: ReturnType<typeof toJobSummary> | null = null): AppDto {
  return {
    id: app.id,
    name: app.name,
    type: app.type as AppDto["type"],
    state: app.state as AppDto["state"],
    error: app.error,
    description: app.description,
    version: app.version,
    publisher: app.publisher,
    tags: unpackTags(app.tags),
    hypervisor: app.hypervisor,
    architecture: app.architecture,
    format: app.format,
    sizeBytes: Number(app.sizeBytes),
    virtualSizeBytes: Number(app.virtualSizeBytes),
    md5: app.md5,
    sha256: app.sha256,
    source: app.source,
    // a row without a type (the column's default "{}") imports as OS, as importApp reads it
    imageTemplate: { type: "OS", ...(JSON.parse(app.imageTemplate) as Partial<AppDto["imageTemplate"]>) },
    vmTemplate: app.vmTemplate,
    serviceTemplate: app.serviceTemplate,
    originImageId: app.originImageId,
    originTemplateId: app.originTemplateId,
    childCount: app._count.children,
    marketplace: { ...app.marketplace, driver: app.marketplace.driver as MarketDriverName },
    zone: app.zone,
    lockLevel: app.lockLevel as AppDto["lockLevel"],
    job,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
    ...toOwnershipDto(app),
  };
}

function toChildDto(node: TreeNode): AppChildDto {
  return {
    position: node.position,
    slot: node.slot,
    created: node.created,
    app: {
      id: node.app.id,
      name: node.app.name,
      type: node.app.type as AppDto["type"],
      state: node.app.state as AppDto["state"],
      error: node.app.error,
      sizeBytes: Number(node.app.sizeBytes),
      marketplace: node.app.marketplace,
      children: node.children.map((c) => {
        const { children: _, ...app } = toChildDto(c).app;
        return { ...toChildDto(c), app };
      }),
    },
  };
}

/**
 * One app with its child tree and the composite apps that use it, as far as the user may see
 * them: a part or parent the user may not use is left out (its name is not theirs to learn).
 */
export async function toAppDetailDto(db: DbLike, app: AppRow, subject: Subject): Promise<AppDto> {
  const [jobs, tree, parents] = await Promise.all([
    appJobs(db, [app.id]),
    loadAppTree(db, app.id),
    db.marketplaceAppChild.findMany({
      where: { childId: app.id },
      select: { parent: { select: { id: true, name: true, type: true } } },
      distinct: ["parentId"],
    }),
  ]);
  const ids = [...treeApps(tree).map((a) => a.id), ...parents.map((p) => p.parent.id)];
  const visible = new Set(
    (
      await db.marketplaceApp.findMany({
        where: { AND: [{ id: { in: ids } }, whereHolds(subject)] },
        select: { id: true },
      })
    ).map((a) => a.id),
  );
  const prune = (nodes: TreeNode[]): TreeNode[] =>
    nodes.filter((n) => visible.has(n.app.id)).map((n) => ({ ...n, children: prune(n.children) }));
  return {
    ...toAppDto(app, jobs.get(app.id) ?? null),
    children: prune(tree).map(toChildDto),
    parents: parents
      .filter((p) => visible.has(p.parent.id))
      .map((p) => ({ ...p.parent, type: p.parent.type as AppDto["type"] })),
  };
}
