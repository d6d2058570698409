import type { JobDefinition } from "./define-job";
import { importUploadJob, importUrlJob } from "@/lib/images/import-image-job";
import { publishAppJob } from "@/lib/apps/publish-app-job";
import { publishCompositeJob } from "@/lib/apps/publish-composite-job";
import { importAppJob } from "@/lib/apps/import-app-job";
import { copyAppJob } from "@/lib/apps/copy-app-job";
import { monitorMarketJob } from "@/lib/markets/monitor-marketplace";

/** Every kind of job a worker can run. */
const DEFINITIONS: JobDefinition[] = [
  importUrlJob,
  importUploadJob,
  publishAppJob,
  publishCompositeJob,
  importAppJob,
  copyAppJob,
  monitorMarketJob,
] as unknown as JobDefinition[];

const byKind = new Map(DEFINITIONS.map((d) => [d.kind, d]));

export function jobDefinition(kind: string): JobDefinition | undefined {
  return byKind.get(kind);
}

/** Adds a kind of job that only tests run (a flow whose steps they control). */
export function registerJobForTests(def: JobDefinition): void {
  byKind.set(def.kind, def);
}
