import { zones as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { deleteZone, getZone, updateZone } from "@/lib/zones/zone-services";

export const GET = withApi(ops.getZone, ({ ctx, params }) => getZone({ ctx, input: params }));
export const PATCH = withApi(ops.updateZone, ({ ctx, params, body }) =>
  updateZone({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteZone, ({ ctx, params }) => deleteZone({ ctx, input: params }));
