import { jobs as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getJob } from "@/lib/jobs/job-services";

export const GET = withApi(ops.getJob, ({ ctx, params }) => getJob({ ctx, input: params }));
