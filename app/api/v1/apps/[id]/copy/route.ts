import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { copyApp } from "@/lib/apps/copy-app";

export const POST = withApi(ops.copyApp, ({ ctx, params, body }) => copyApp({ ctx, input: { ...body, ...params } }));
