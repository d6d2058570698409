import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { lockApp } from "@/lib/apps/update-app";

export const POST = withApi(ops.lockApp, ({ ctx, params, body }) =>
  lockApp({ ctx, input: { ...params, level: body.level } }),
);
