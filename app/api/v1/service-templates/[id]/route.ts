import { templates as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getServiceTemplate } from "@/lib/templates/get-service-template";
import { updateServiceTemplate } from "@/lib/templates/update-service-template";
import { deleteServiceTemplate } from "@/lib/templates/delete-service-template";

export const GET = withApi(ops.getServiceTemplate, ({ ctx, params }) => getServiceTemplate({ ctx, input: params }));
export const PATCH = withApi(ops.updateServiceTemplate, ({ ctx, params, body }) =>
  updateServiceTemplate({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteServiceTemplate, ({ ctx, params }) =>
  deleteServiceTemplate({ ctx, input: params }),
);
