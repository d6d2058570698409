import { profile as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { revokeToken } from "@/lib/tokens/revoke-token";

export const DELETE = withApi(ops.revokeToken, ({ ctx, params }) => revokeToken({ ctx, input: params }));
