import { marketplaces as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { chmodObject } from "@/lib/permissions/change-permissions";

export const POST = withApi(ops.chmodMarketplace, ({ ctx, params, body }) =>
  chmodObject({ ctx, input: { type: "MARKETPLACE", id: params.id, octal: body.permissions } }),
);
