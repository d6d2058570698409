import { templates as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { cloneServiceTemplate } from "@/lib/templates/clone-service-template";

export const POST = withApi(ops.cloneServiceTemplate, ({ ctx, params, body }) =>
  cloneServiceTemplate({ ctx, input: { ...body, ...params } }),
);
