import { z } from "zod";
import { objectName, resourceType } from "@/lib/api/schemas";

/** What the API takes to create and edit a group. Browser-safe: the console's forms validate with it. */

/** What a group's edit changes. */
export const groupFields = z.object({
  name: objectName,
  description: z.string().trim().max(1024, "must be at most 1024 characters"),
  createRights: z.array(resourceType),
});

export const createGroupBody = groupFields.extend({
  description: groupFields.shape.description.default(""),
  createRights: groupFields.shape.createRights.optional(),
});
