import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { chownObject } from "@/lib/permissions/change-permissions";

export const POST = withApi(ops.chownApp, ({ ctx, params, body }) =>
  chownObject({ ctx, input: { type: "MARKETPLACE_APP", id: params.id, ...body } }),
);
