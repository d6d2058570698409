import { templates as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getVmTemplate } from "@/lib/templates/get-vm-template";
import { updateVmTemplate } from "@/lib/templates/update-vm-template";
import { deleteVmTemplate } from "@/lib/templates/delete-vm-template";

export const GET = withApi(ops.getVmTemplate, ({ ctx, params }) => getVmTemplate({ ctx, input: params }));
export const PATCH = withApi(ops.updateVmTemplate, ({ ctx, params, body }) =>
  updateVmTemplate({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteVmTemplate, ({ ctx, params }) => deleteVmTemplate({ ctx, input: params }));
