import { marketplaces as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { monitorMarketplaceNow } from "@/lib/markets/monitor-marketplace";

export const POST = withApi(ops.monitorMarketplace, ({ ctx, params }) => monitorMarketplaceNow({ ctx, input: params }));
