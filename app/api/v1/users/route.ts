import { users as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listUsers } from "@/lib/users/list-users";
import { createUser } from "@/lib/users/create-user";

export const GET = withApi(ops.listUsers, ({ ctx, query }) => listUsers({ ctx, input: query }));
export const POST = withApi(ops.createUser, ({ ctx, body }) => createUser({ ctx, input: body }));
