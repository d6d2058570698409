import type { Prisma } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { refTo, rightsSelect } from "@/lib/permissions/references";
import type { Subject } from "@/lib/permissions/rights";
import { ownershipInclude, toOwnershipDto } from "@/lib/permissions/shared-dto";
import { toJobSummary } from "@/lib/jobs/job-dto";
import { describeSystemErrors } from "@/lib/system-errors";

export const imageInclude = {
  ...ownershipInclude,
  zone: { select: { id: true, name: true } },
  datastore: { select: { id: true, name: true, zoneId: true, ...rightsSelect } },
} satisfies Prisma.ImageInclude;

export type ImageRow = Prisma.ImageGetPayload<{ include: typeof imageInclude }>;

/** The newest job of each object (images by default), in one query for a whole page. */
export async function latestJobs(db: DbLike, ids: number[], objectType = "IMAGE") {
  if (ids.length === 0) return new Map<number, ReturnType<typeof toJobSummary>>();
  const jobs = await db.job.findMany({
    where: { objectType, objectId: { in: ids } },
    orderBy: { id: "desc" },
  });
  const map = new Map<number, ReturnType<typeof toJobSummary>>();
  for (const j of jobs) if (j.objectId !== null && !map.has(j.objectId)) map.set(j.objectId, toJobSummary(j));
  return map;
}

/** An image as `viewer` sees it: its datastore by id alone unless they may use that too. */
export function toImageDto(img: ImageRow, viewer: Subject, job: ReturnType<typeof toJobSummary> | null = null) {
  return {
    id: img.id,
    name: img.name,
    type: img.type,
    state: img.state,
    error: describeSystemErrors(img.error),
    description: img.description,
    format: img.format,
    sizeBytes: Number(img.sizeBytes),
    virtualSizeBytes: Number(img.virtualSizeBytes),
    md5: img.md5,
    sha256: img.sha256,
    origin: img.origin,
    sourceUrl: img.sourceUrl,
    expectedMd5: img.expectedMd5,
    expectedSha256: img.expectedSha256,
    uploadId: img.uploadId,
    fromAppId: img.fromAppId,
    datastore: refTo(viewer, img.datastore, ({ id, name }) => ({ id, name }), "DATASTORE"),
    zone: img.zone,
    job,
    createdAt: img.createdAt,
    updatedAt: img.updatedAt,
    ...toOwnershipDto(img),
  };
}
