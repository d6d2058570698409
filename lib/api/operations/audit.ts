import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { listQuery, pageOf, timestamp, urlId } from "@/lib/api/schemas";

export const auditEventDto = z.object({
  id: z.number().int(),
  at: timestamp,
  actorId: z.number().int().nullable(),
  actorName: z.string(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string(),
  objectName: z.string(),
  zoneName: z.string(),
  requestId: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEventDto = z.infer<typeof auditEventDto>;

export const listAuditEvents = defineOperation({
  id: "listAuditEvents",
  method: "GET",
  path: "/api/v1/audit",
  summary: "Audit events: who changed what, when (admins)",
  tag: "Audit",
  auth: "admin",
  query: listQuery(["at", "id", "action", "objectType", "actorName"] as const).extend({
    order: z.enum(["asc", "desc"]).default("desc"),
    objectType: z.string().max(64).optional(),
    objectId: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    actorId: urlId().optional(),
  }),
  response: pageOf(auditEventDto),
});
