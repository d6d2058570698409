import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, pageOf, listQuery, timestamp } from "@/lib/api/schemas";
import { createZoneBody, zoneFields } from "@/lib/zones/zone-schemas";
import { zoneDto } from "./session";

export { zoneDto };

/** Whether the zone's portal answers at its endpoint (GET <endpoint>/api/health, probed by this server). */
export const zoneHealthDto = z.object({
  /** up: it answers; down: it does not, or not as a portal; unknown: it has no endpoint to ask */
  status: z.enum(["up", "down", "unknown"]),
  detail: z.string(),
  /** when it was asked (answers are kept for a short while); null when it was not */
  checkedAt: timestamp.nullable(),
});

/** A zone as the Zones pages show it: with whether it answers. */
export const zoneStatusDto = zoneDto.extend({ health: zoneHealthDto });

/** A portal URL, "" or null for none; stored without a trailing slash. */
export const listZones = defineOperation({
  id: "listZones",
  method: "GET",
  path: "/api/v1/zones",
  summary: "List the zones of the federation, each with whether its portal answers at its endpoint",
  tag: "Zones",
  auth: "user",
  query: listQuery(["id", "name"] as const),
  response: pageOf(zoneStatusDto),
});

export const getZone = defineOperation({
  id: "getZone",
  method: "GET",
  path: "/api/v1/zones/{id}",
  summary: "A zone, with whether its portal answers at its endpoint",
  tag: "Zones",
  auth: "user",
  params: idParams,
  response: zoneStatusDto,
});

export const createZone = defineOperation({
  id: "createZone",
  method: "POST",
  path: "/api/v1/zones",
  summary: "Register another zone of the federation (admins)",
  tag: "Zones",
  auth: "admin",
  body: createZoneBody,
  response: zoneStatusDto,
  status: 201,
});

export const updateZone = defineOperation({
  id: "updateZone",
  method: "PATCH",
  path: "/api/v1/zones/{id}",
  summary:
    "Edit a zone's description or endpoint (admins); an instance started with BAZAAR_PUBLIC_URL sets its zone's endpoint again",
  tag: "Zones",
  auth: "admin",
  params: idParams,
  body: zoneFields.pick({ description: true, endpoint: true }).partial(),
  response: zoneStatusDto,
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
