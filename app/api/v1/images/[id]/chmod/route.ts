import { images as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { chmodObject } from "@/lib/permissions/change-permissions";

export const POST = withApi(ops.chmodImage, ({ ctx, params, body }) =>
  chmodObject({ ctx, input: { type: "IMAGE", id: params.id, octal: body.permissions } }),
);
