import { audit as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listAuditEventsService } from "@/lib/audit/list-audit-events";

export const GET = withApi(ops.listAuditEvents, ({ ctx, query }) => listAuditEventsService({ ctx, input: query }));
