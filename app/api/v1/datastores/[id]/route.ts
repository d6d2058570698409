import { datastores as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getDatastore } from "@/lib/datastores/get-datastore";
import { updateDatastore } from "@/lib/datastores/update-datastore";
import { deleteDatastore } from "@/lib/datastores/delete-datastore";

export const GET = withApi(ops.getDatastore, ({ ctx, params }) => getDatastore({ ctx, input: params }));
export const PATCH = withApi(ops.updateDatastore, ({ ctx, params, body }) =>
  updateDatastore({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteDatastore, ({ ctx, params }) => deleteDatastore({ ctx, input: params }));
