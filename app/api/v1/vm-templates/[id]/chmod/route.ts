import { templates as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { chmodObject } from "@/lib/permissions/change-permissions";

export const POST = withApi(ops.chmodVmTemplate, ({ ctx, params, body }) =>
  chmodObject({ ctx, input: { type: "VM_TEMPLATE", id: params.id, octal: body.permissions } }),
);
