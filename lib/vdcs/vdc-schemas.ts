import { z } from "zod";
import { dbId, objectName } from "@/lib/api/schemas";
import { VDC_RESOURCE_TYPES } from "@/lib/permissions/vdc-grants";

/** What the API takes to create and edit a VDC. Browser-safe: the console's forms validate with it. */

export const vdcResource = z.object({
  zoneId: dbId,
  resourceType: z.enum(VDC_RESOURCE_TYPES),
  /** null: every datastore (or marketplace) of the zone */
  resourceId: dbId.nullable(),
});

/** What a VDC's edit changes. */
export const vdcFields = z.object({
  name: objectName,
  description: z.string().trim().max(1024, "must be at most 1024 characters"),
  groupIds: z.array(dbId).max(1000),
  resources: z.array(vdcResource).max(10000),
});

export const createVdcBody = vdcFields.extend({
  description: vdcFields.shape.description.default(""),
  groupIds: vdcFields.shape.groupIds.default([]),
  resources: vdcFields.shape.resources.default([]),
});
