import { datastores as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { chownObject } from "@/lib/permissions/change-permissions";

export const POST = withApi(ops.chownDatastore, ({ ctx, params, body }) =>
  chownObject({ ctx, input: { type: "DATASTORE", id: params.id, ...body } }),
);
