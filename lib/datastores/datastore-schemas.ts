import { z } from "zod";
import { objectName } from "@/lib/api/schemas";

/** What the API takes to create and edit a datastore. Browser-safe: the console's form validates with it. */

export const DATASTORE_TYPES = ["IMAGE", "FILE"] as const;
export const DISK_FORMAT_REQUIREMENTS = ["any", "qcow2", "raw"] as const;

const description = z.string().trim().max(1024, "must be at most 1024 characters");
const limitMb = z
  .number()
  .int()
  .min(1, "must be at least 1 MB")
  .max(2 ** 31 - 1)
  .nullable();
const basePath = z
  .string()
  .trim()
  .max(1024)
  .refine((p) => p.startsWith("/"), "must be an absolute path")
  .refine((p) => !p.split("/").includes(".."), "must not contain '..'");

/** What a datastore's edit changes. */
export const datastoreFields = z.object({
  name: objectName,
  description,
  enabled: z.boolean(),
  requiredFormat: z.enum(DISK_FORMAT_REQUIREMENTS),
  limitMb,
});

export const createDatastoreBody = z.object({
  name: objectName,
  type: z.enum(DATASTORE_TYPES).default("IMAGE"),
  driver: z.enum(["fs"]).default("fs"),
  basePath: basePath.optional(),
  requiredFormat: z.enum(DISK_FORMAT_REQUIREMENTS).default("any"),
  limitMb: limitMb.default(null),
  description: description.default(""),
  enabled: z.boolean().default(true),
});
