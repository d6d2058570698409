import { z } from "zod";
import { objectName } from "@/lib/api/schemas";

/** What the API takes to create, edit and clone VM templates. Browser-safe: the console's forms validate with it. */

export const templateDescription = z.string().trim().max(4096, "must be at most 4096 characters");

/** What a VM template's edit changes. */
export const vmTemplateFields = z.object({
  name: objectName,
  description: templateDescription,
  /** OpenNebula template text; its syntax is checked by the service (errors name the line) */
  template: z.string().max(128 * 1024, "must be at most 128 KiB"),
});

export const createVmTemplateBody = vmTemplateFields.extend({
  /** NAME in the text when not given */
  name: objectName.optional(),
  description: templateDescription.default(""),
});

/** A VM or service template's copy. */
export const cloneTemplateBody = z.object({ name: objectName });
