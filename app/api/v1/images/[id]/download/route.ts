import { images as ops } from "@/lib/api/operations";
import { serveBytes } from "@/lib/api/serve-bytes";
import { withApi } from "@/lib/api/with-api";
import { downloadImage } from "@/lib/images/download-image";

export const GET = withApi(ops.downloadImage, async ({ ctx, params, req }) =>
  serveBytes(req, await downloadImage({ ctx, input: params }), { cacheControl: "private, no-store" }),
);
