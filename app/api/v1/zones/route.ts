import { zones as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { createZone, listZones } from "@/lib/zones/zone-services";

export const GET = withApi(ops.listZones, ({ ctx, query }) => listZones({ ctx, input: query }));
export const POST = withApi(ops.createZone, ({ ctx, body }) => createZone({ ctx, input: body }));
