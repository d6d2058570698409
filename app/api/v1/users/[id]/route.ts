import { users as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getUser } from "@/lib/users/get-user";
import { updateUser } from "@/lib/users/update-user";
import { deleteUser } from "@/lib/users/delete-user";

export const GET = withApi(ops.getUser, ({ ctx, params }) => getUser({ ctx, input: params }));
export const PATCH = withApi(ops.updateUser, ({ ctx, params, body }) =>
  updateUser({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteUser, ({ ctx, params }) => deleteUser({ ctx, input: params }));
