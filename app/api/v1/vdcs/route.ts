import { vdcs as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { createVdc, listVdcs } from "@/lib/vdcs/vdc-services";

export const GET = withApi(ops.listVdcs, ({ ctx, query }) => listVdcs({ ctx, input: query }));
export const POST = withApi(ops.createVdc, ({ ctx, body }) => createVdc({ ctx, input: body }));
