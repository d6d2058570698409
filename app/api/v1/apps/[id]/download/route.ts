import { apps as ops } from "@/lib/api/operations";
import { serveBytes } from "@/lib/api/serve-bytes";
import { withApi } from "@/lib/api/with-api";
import { downloadApp } from "@/lib/apps/download-app";

export const GET = withApi(ops.downloadApp, async ({ ctx, params, req }) =>
  serveBytes(req, await downloadApp({ ctx, input: params }), { cacheControl: "private, no-store" }),
);
