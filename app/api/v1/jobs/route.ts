import { jobs as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listJobs } from "@/lib/jobs/job-services";

export const GET = withApi(ops.listJobs, ({ ctx, query }) => listJobs({ ctx, input: query }));
