import { users as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { resetPassword } from "@/lib/users/reset-password";

export const POST = withApi(ops.resetPassword, ({ ctx, params, body }) =>
  resetPassword({ ctx, input: { ...params, ...body } }),
);
