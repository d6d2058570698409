import { marketplaces as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { createCatalogToken } from "@/lib/catalogs/create-catalog-token";
import { listCatalogTokens } from "@/lib/catalogs/list-catalog-tokens";

export const GET = withApi(ops.listCatalogTokens, ({ ctx, params }) => listCatalogTokens({ ctx, input: params }));
export const POST = withApi(ops.createCatalogToken, ({ ctx, params, body }) =>
  createCatalogToken({ ctx, input: { ...params, name: body.name } }),
);
