import { vdcs as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { deleteVdc, getVdc, updateVdc } from "@/lib/vdcs/vdc-services";

export const GET = withApi(ops.getVdc, ({ ctx, params }) => getVdc({ ctx, input: params }));
export const PATCH = withApi(ops.updateVdc, ({ ctx, params, body }) =>
  updateVdc({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteVdc, ({ ctx, params }) => deleteVdc({ ctx, input: params }));
