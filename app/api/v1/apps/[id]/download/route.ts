import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { downloadApp } from "@/lib/apps/download-app";

export const GET = withApi(ops.downloadApp, ({ ctx, params, req }) =>
  downloadApp({ ctx, input: { ...params, range: req.headers.get("range") } }),
);
