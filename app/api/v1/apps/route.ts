import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listApps } from "@/lib/apps/list-apps";
import { publishApp } from "@/lib/apps/publish-app";

export const GET = withApi(ops.listApps, ({ ctx, query }) => listApps({ ctx, input: query }));
export const POST = withApi(ops.publishApp, ({ ctx, body }) => publishApp({ ctx, input: body }));
