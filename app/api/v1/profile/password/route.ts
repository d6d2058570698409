import { profile as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { changePassword } from "@/lib/users/change-password";

export const POST = withApi(ops.changePassword, ({ ctx, body }) => changePassword({ ctx, input: body }));
