import { images as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listImages } from "@/lib/images/list-images";
import { createImage } from "@/lib/images/create-image";

export const GET = withApi(ops.listImages, ({ ctx, query }) => listImages({ ctx, input: query }));
export const POST = withApi(ops.createImage, ({ ctx, body }) => createImage({ ctx, input: body }));
