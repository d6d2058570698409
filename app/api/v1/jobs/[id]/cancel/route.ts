import { jobs as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { cancelJob } from "@/lib/jobs/job-services";

export const POST = withApi(ops.cancelJob, ({ ctx, params }) => cancelJob({ ctx, input: params }));
