import type { Prisma } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { ownershipInclude, toOwnershipDto } from "@/lib/permissions/shared-dto";
import { latestJobs } from "@/lib/images/image-dto";
import type { toJobSummary } from "@/lib/jobs/job-dto";
import type { MarketDriverName } from "@/lib/markets/drivers/config";
import type { AppDto } from "@/lib/api/operations/apps";

export const appInclude = {
  ...ownershipInclude,
  zone: { select: { id: true, name: true } },
  marketplace: { select: { id: true, name: true, driver: true, enabled: true } },
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
    originImageId: app.originImageId,
    marketplace: { ...app.marketplace, driver: app.marketplace.driver as MarketDriverName },
    zone: app.zone,
    lockLevel: app.lockLevel as AppDto["lockLevel"],
    job,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
    ...toOwnershipDto(app),
  };
}
