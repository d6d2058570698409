import { groups as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listGroups } from "@/lib/groups/list-groups";
import { createGroup } from "@/lib/groups/create-group";

export const GET = withApi(ops.listGroups, ({ ctx, query }) => listGroups({ ctx, input: query }));
export const POST = withApi(ops.createGroup, ({ ctx, body }) => createGroup({ ctx, input: body }));
