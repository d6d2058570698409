import { apps as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listAppFacets } from "@/lib/apps/list-apps";

export const GET = withApi(ops.listAppFacets, ({ ctx }) => listAppFacets({ ctx }));
