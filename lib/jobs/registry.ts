import type { JobDefinition } from "./define-job";
import { importUploadJob, importUrlJob } from "@/lib/images/jobs";

/** Every kind of job a worker can run. */
const DEFINITIONS: JobDefinition[] = [importUrlJob, importUploadJob] as unknown as JobDefinition[];

const byKind = new Map(DEFINITIONS.map((d) => [d.kind, d]));

export function jobDefinition(kind: string): JobDefinition | undefined {
  return byKind.get(kind);
}
