import { groups as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { addGroupMember } from "@/lib/groups/change-membership";

export const POST = withApi(ops.addGroupMember, ({ ctx, params, body }) =>
  addGroupMember({ ctx, input: { ...params, ...body } }),
);
