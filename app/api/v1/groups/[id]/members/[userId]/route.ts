import { groups as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { removeGroupMember } from "@/lib/groups/change-membership";

export const DELETE = withApi(ops.removeGroupMember, ({ ctx, params }) => removeGroupMember({ ctx, input: params }));
