import type { JobDefinition } from "./define-job";
import { importUploadJob, importUrlJob } from "@/lib/images/jobs";
import { importAppJob, publishAppJob } from "@/lib/apps/jobs";
import { monitorMarketJob } from "@/lib/markets/monitor-marketplace";

/** Every kind of job a worker can run. */
const DEFINITIONS: JobDefinition[] = [
  importUrlJob,
  importUploadJob,
  publishAppJob,
  importAppJob,
  monitorMarketJob,
] as unknown as JobDefinition[];

const byKind = new Map(DEFINITIONS.map((d) => [d.kind, d]));

export function jobDefinition(kind: string): JobDefinition | undefined {
  return byKind.get(kind);
}
