import { images as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { downloadImage } from "@/lib/images/download-image";

export const GET = withApi(ops.downloadImage, ({ ctx, params, req }) =>
  downloadImage({ ctx, input: { ...params, range: req.headers.get("range") } }),
);
