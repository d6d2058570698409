import { marketplaces as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getMarketplace } from "@/lib/markets/get-marketplace";
import { updateMarketplace } from "@/lib/markets/update-marketplace";
import { deleteMarketplace } from "@/lib/markets/delete-marketplace";

export const GET = withApi(ops.getMarketplace, ({ ctx, params }) => getMarketplace({ ctx, input: params }));
export const PATCH = withApi(ops.updateMarketplace, ({ ctx, params, body }) =>
  updateMarketplace({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteMarketplace, ({ ctx, params, query }) =>
  deleteMarketplace({ ctx, input: { ...params, deleteApps: query.deleteApps } }),
);
