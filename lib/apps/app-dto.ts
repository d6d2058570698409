import type { Prisma } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { ownershipInclude, toOwnershipDto } from "@/lib/permissions/shared-dto";
import { latestJobs } from "@/lib/images/image-dto";
import type { toJobSummary } from "@/lib/jobs/job-dto";
import type { MarketDriverName } from "@/lib/markets/drivers/config";
import type { AppChildDto, AppDto } from "@/lib/api/operations/apps";
import { maySee, refTo, rightsSelect } from "@/lib/permissions/references";
import type { Subject } from "@/lib/permissions/rights";
import { describeSystemErrors } from "@/lib/system-errors";
import { loadAppTree, type TreeNode } from "./app-tree";

export const appInclude = {
  ...ownershipInclude,
  zone: { select: { id: true, name: true, endpoint: true } },
  marketplace: { select: { id: true, name: true, driver: true, enabled: true, zoneId: true, ...rightsSelect } },
  _count: { select: { children: true } },
} satisfies Prisma.MarketplaceAppInclude;

export type AppRow = Prisma.MarketplaceAppGetPayload<{ include: typeof appInclude }>;

/** Tags are stored as ",a,b," so that `contains: ",a,"` matches exactly one tag. */
export const packTags = (tags: string[]) => (tags.length ? `,${tags.join(",")},` : "");
export const unpackTags = (packed: string) => packed.split(",").filter(Boolean);

export async function appJobs(db: DbLike, ids: number[]) {
  return latestJobs(db, ids, "MARKETPLACE_APP");
}

/** An app as `viewer` sees it: its marketplace by id alone unless they may use that too. */
export function toAppDto(app: AppRow, viewer: Subject, job: ReturnType<typeof toJobSummary> | null = null): AppDto {
  return {
    id: app.id,
    name: app.name,
    type: app.type as AppDto["type"],
    state: app.state as AppDto["state"],
    error: describeSystemErrors(app.error),
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
    shortDescription: app.shortDescription,
    logoUrl: app.logoUrl,
    upstreamKey: app.upstreamKey,
    originImageId: app.originImageId,
    originTemplateId: app.originTemplateId,
    childCount: app._count.children,
    marketplace: refTo(
      viewer,
      app.marketplace,
      ({ id, name, driver, enabled }) => ({
        id,
        name,
        driver: driver as MarketDriverName,
        enabled,
      }),
      "MARKETPLACE",
    ),
    zone: app.zone,
    lockLevel: app.lockLevel as AppDto["lockLevel"],
    job,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
    ...toOwnershipDto(app),
  };
}

/**
 * One part of a composite app's tree as `viewer` sees it: a part they may not use is its id
 * alone, without its own parts (which disks a VM template app has is one of its attributes).
 */
function toChildDto(node: TreeNode, viewer: Subject): AppChildDto {
  const { position, slot, created, app } = node;
  if (!maySee(viewer, app, "MARKETPLACE_APP")) return { position, slot, created, app: { id: app.id } };
  return {
    position,
    slot,
    created,
    app: {
      id: app.id,
      name: app.name,
      type: app.type as AppDto["type"],
      state: app.state as AppDto["state"],
      error: describeSystemErrors(app.error),
      sizeBytes: Number(app.sizeBytes),
      marketplace: refTo(viewer, app.marketplace, ({ id, name }) => ({ id, name }), "MARKETPLACE"),
      children: node.children.map((c) => {
        const part = toChildDto(c, viewer);
        if (!("children" in part.app)) return part;
        const { children: _, ...shown } = part.app;
        return { ...part, app: shown };
      }),
    },
  };
}

/**
 * One app with its child tree and the composite apps that use it, as far as the user may see
 * them: a part or parent the user may not use is its id alone (its name is not theirs to learn).
 */
export async function toAppDetailDto(db: DbLike, app: AppRow, viewer: Subject): Promise<AppDto> {
  const [jobs, tree, parents] = await Promise.all([
    appJobs(db, [app.id]),
    loadAppTree(db, app.id),
    db.marketplaceAppChild.findMany({
      where: { childId: app.id },
      select: {
        parent: {
          select: {
            id: true,
            name: true,
            type: true,
            marketplaceId: true,
            marketplace: { select: { zoneId: true } },
            ...rightsSelect,
          },
        },
      },
      distinct: ["parentId"],
    }),
  ]);
  return {
    ...toAppDto(app, viewer, jobs.get(app.id) ?? null),
    children: tree.map((n) => toChildDto(n, viewer)),
    parents: parents.map(({ parent }) =>
      refTo(viewer, parent, ({ id, name, type }) => ({ id, name, type: type as AppDto["type"] }), "MARKETPLACE_APP"),
    ),
  };
}
