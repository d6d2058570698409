import { templates as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { cloneVmTemplate } from "@/lib/templates/clone-vm-template";

export const POST = withApi(ops.cloneVmTemplate, ({ ctx, params, body }) =>
  cloneVmTemplate({ ctx, input: { ...body, ...params } }),
);
