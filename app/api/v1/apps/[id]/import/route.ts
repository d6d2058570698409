import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { importApp } from "@/lib/apps/import-app";

export const POST = withApi(ops.importApp, ({ ctx, params, body }) =>
  importApp({ ctx, input: { ...body, ...params } }),
);
