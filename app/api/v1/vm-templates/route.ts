import { templates as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listVmTemplates } from "@/lib/templates/list-vm-templates";
import { createVmTemplate } from "@/lib/templates/create-vm-template";

export const GET = withApi(ops.listVmTemplates, ({ ctx, query }) => listVmTemplates({ ctx, input: query }));
export const POST = withApi(ops.createVmTemplate, ({ ctx, body }) => createVmTemplate({ ctx, input: body }));
