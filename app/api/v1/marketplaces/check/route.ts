import { marketplaces as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { checkMarketplace } from "@/lib/markets/check-driver";

export const POST = withApi(ops.checkMarketplace, ({ ctx, body }) => checkMarketplace({ ctx, input: body }));
