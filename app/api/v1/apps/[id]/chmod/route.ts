import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { chmodObject } from "@/lib/permissions/change-permissions";

export const POST = withApi(ops.chmodApp, ({ ctx, params, body }) =>
  chmodObject({ ctx, input: { type: "MARKETPLACE_APP", id: params.id, octal: body.permissions } }),
);
