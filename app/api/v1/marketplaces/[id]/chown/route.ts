import { marketplaces as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { chownObject } from "@/lib/permissions/change-permissions";

export const POST = withApi(ops.chownMarketplace, ({ ctx, params, body }) =>
  chownObject({ ctx, input: { type: "MARKETPLACE", id: params.id, ...body } }),
);
