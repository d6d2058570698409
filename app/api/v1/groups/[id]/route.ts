import { groups as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getGroup } from "@/lib/groups/get-group";
import { updateGroup } from "@/lib/groups/update-group";
import { deleteGroup } from "@/lib/groups/delete-group";

export const GET = withApi(ops.getGroup, ({ ctx, params }) => getGroup({ ctx, input: params }));
export const PATCH = withApi(ops.updateGroup, ({ ctx, params, body }) =>
  updateGroup({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteGroup, ({ ctx, params }) => deleteGroup({ ctx, input: params }));
