import { vdcs as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { objectGrants } from "@/lib/vdcs/object-grants";

export const GET = withApi(ops.getDatastoreGrants, ({ ctx, params }) =>
  objectGrants({ ctx, input: { kind: "DATASTORE", id: params.id } }),
);
