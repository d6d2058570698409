import { marketplaces as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { revokeCatalogToken } from "@/lib/catalogs/revoke-catalog-token";

export const DELETE = withApi(ops.deleteCatalogToken, ({ ctx, params }) => revokeCatalogToken({ ctx, input: params }));
