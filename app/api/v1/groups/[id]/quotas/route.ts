import { quotas as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getQuotas, setQuotas } from "@/lib/quotas/quota-services";

export const GET = withApi(ops.getGroupQuotas, ({ ctx, params }) =>
  getQuotas({ ctx, input: { kind: "group", id: params.id } }),
);
export const PUT = withApi(ops.setGroupQuotas, ({ ctx, params, body }) =>
  setQuotas({ ctx, input: { kind: "group", id: params.id, quotas: body } }),
);
