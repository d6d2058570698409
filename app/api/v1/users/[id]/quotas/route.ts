import { quotas as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getQuotas, setQuotas } from "@/lib/quotas/quota-services";

export const GET = withApi(ops.getUserQuotas, ({ ctx, params }) =>
  getQuotas({ ctx, input: { kind: "user", id: params.id } }),
);
export const PUT = withApi(ops.setUserQuotas, ({ ctx, params, body }) =>
  setQuotas({ ctx, input: { kind: "user", id: params.id, quotas: body } }),
);
