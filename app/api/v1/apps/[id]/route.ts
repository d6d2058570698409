import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getApp } from "@/lib/apps/get-app";
import { updateApp } from "@/lib/apps/update-app";
import { deleteApp } from "@/lib/apps/delete-app";

export const GET = withApi(ops.getApp, ({ ctx, params }) => getApp({ ctx, input: params }));
export const PATCH = withApi(ops.updateApp, ({ ctx, params, body }) =>
  updateApp({ ctx, input: { ...body, ...params } }),
);
export const DELETE = withApi(ops.deleteApp, ({ ctx, params, query }) =>
  deleteApp({ ctx, input: { ...params, ...query } }),
);
