import { marketplaces as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listMarketplaces } from "@/lib/markets/list-marketplaces";
import { createMarketplace } from "@/lib/markets/create-marketplace";

export const GET = withApi(ops.listMarketplaces, ({ ctx, query }) => listMarketplaces({ ctx, input: query }));
export const POST = withApi(ops.createMarketplace, ({ ctx, body }) => createMarketplace({ ctx, input: body }));
