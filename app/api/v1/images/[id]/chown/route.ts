import { images as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { chownObject } from "@/lib/permissions/change-permissions";

export const POST = withApi(ops.chownImage, ({ ctx, params, body }) =>
  chownObject({ ctx, input: { type: "IMAGE", id: params.id, ...body } }),
);
