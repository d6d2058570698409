import { vdcs as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { objectGrants } from "@/lib/vdcs/object-grants";

export const GET = withApi(ops.getMarketplaceGrants, ({ ctx, params }) =>
  objectGrants({ ctx, input: { kind: "MARKETPLACE", id: params.id } }),
);
