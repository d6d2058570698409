import { templates as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { chownObject } from "@/lib/permissions/change-permissions";

export const POST = withApi(ops.chownVmTemplate, ({ ctx, params, body }) =>
  chownObject({ ctx, input: { type: "VM_TEMPLATE", id: params.id, ...body } }),
);
