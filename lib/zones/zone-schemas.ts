import { z } from "zod";
import { objectName } from "@/lib/api/schemas";
import { isPortalUrl } from "./portal-url";

/** What the API takes to register and edit a zone. Browser-safe: the console's forms validate with it. */

const endpoint = z
  .string()
  .trim()
  .max(2048, "must be at most 2048 characters")
  .refine((v) => v === "" || isPortalUrl(v), "must be an http(s) URL without credentials, query or fragment")
  .transform((v) => (v === "" ? null : v.replace(/\/+$/, "")))
  .nullable();

/** A zone's fields; its name is set once, when it is registered. */
export const zoneFields = z.object({
  name: objectName,
  description: z.string().trim().max(1024, "must be at most 1024 characters"),
  endpoint,
});

export const createZoneBody = zoneFields.extend({
  description: zoneFields.shape.description.default(""),
  endpoint: endpoint.default(null),
});
