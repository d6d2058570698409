import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, objectName, pageOf, listQuery } from "@/lib/api/schemas";
import { zoneDto } from "./session";

export { zoneDto };

const endpoint = z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })]);

export const listZones = defineOperation({
  id: "listZones",
  method: "GET",
  path: "/api/v1/zones",
  summary: "List the zones of the federation",
  tag: "Zones",
  auth: "user",
  query: listQuery(["id", "name"] as const),
  response: pageOf(zoneDto),
});

export const getZone = defineOperation({
  id: "getZone",
  method: "GET",
  path: "/api/v1/zones/{id}",
  summary: "A zone",
  tag: "Zones",
  auth: "user",
  params: idParams,
  response: zoneDto,
});

export const createZone = defineOperation({
  id: "createZone",
  method: "POST",
  path: "/api/v1/zones",
  summary: "Register another zone of the federation (admins)",
  tag: "Zones",
  auth: "admin",
  body: z.object({
    name: objectName,
    description: z.string().trim().max(1024).default(""),
    endpoint: endpoint.default(""),
  }),
  response: zoneDto,
  status: 201,
});

export const updateZone = defineOperation({
  id: "updateZone",
  method: "PATCH",
  path: "/api/v1/zones/{id}",
  summary: "Edit a zone's description or endpoint (admins)",
  tag: "Zones",
  auth: "admin",
  params: idParams,
  body: z.object({ description: z.string().trim().max(1024), endpoint }).partial(),
  response: zoneDto,
});

export const deleteZone = defineOperation({
  id: "deleteZone",
  method: "DELETE",
  path: "/api/v1/zones/{id}",
  summary: "Remove a remote zone (admins; never the local zone)",
  tag: "Zones",
  auth: "admin",
  params: idParams,
  status: 204,
});
