import { images as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getImage } from "@/lib/images/get-image";
import { updateImage } from "@/lib/images/update-image";
import { deleteImage } from "@/lib/images/delete-image";

export const GET = withApi(ops.getImage, ({ ctx, params }) => getImage({ ctx, input: params }));
export const PATCH = withApi(ops.updateImage, ({ ctx, params, body }) =>
  updateImage({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteImage, ({ ctx, params }) => deleteImage({ ctx, input: params }));
