import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { previewAppImport } from "@/lib/apps/import-app";

export const POST = withApi(ops.previewAppImport, ({ ctx, params, body }) =>
  previewAppImport({ ctx, input: { ...body, ...params } }),
);
