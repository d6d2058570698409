import { templates as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listServiceTemplates } from "@/lib/templates/list-service-templates";
import { createServiceTemplate } from "@/lib/templates/create-service-template";

export const GET = withApi(ops.listServiceTemplates, ({ ctx, query }) => listServiceTemplates({ ctx, input: query }));
export const POST = withApi(ops.createServiceTemplate, ({ ctx, body }) => createServiceTemplate({ ctx, input: body }));
