import type { JobDefinition } from "./define-job";
import { importUploadJob, importUrlJob } from "@/lib/images/jobs";
import { publishAppJob } from "@/lib/apps/jobs";
import { importAppJob, publishCompositeJob } from "@/lib/apps/composite-jobs";
import { monitorMarketJob } from "@/lib/markets/monitor-marketplace";

/** Every kind of job a worker can run. */
const DEFINITIONS: JobDefinition[] = [
  importUrlJob,
  importUploadJob,
  publishAppJob,
  publishCompositeJob,
  importAppJob,
  monitorMarketJob,
] as unknown as JobDefinition[];

const byKind = new Map(DEFINITIONS.map((d) => [d.kind, d]));

export function jobDefinition(kind: string): JobDefinition | undefined {
  return byKind.get(kind);
}
