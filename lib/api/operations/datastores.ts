import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, objectName, pageOf, queryBool, timestamp } from "@/lib/api/schemas";
import { ownershipDto } from "@/lib/permissions/shared-dto";
import { permissionOperations } from "./shared";

export const DATASTORE_TYPES = ["IMAGE", "FILE"] as const;
export const DISK_FORMAT_REQUIREMENTS = ["any", "qcow2", "raw"] as const;

export const capacityDto = z.object({
  totalBytes: z.number(),
  freeBytes: z.number(),
  usedBytes: z.number(),
  limitBytes: z.number().nullable(),
  /** set when the backend could not be measured */
  error: z.string().nullable(),
});

export const datastoreDto = z
  .object({
    id: z.number().int(),
    name: z.string(),
    type: z.enum(DATASTORE_TYPES),
    driver: z.string(),
    zone: z.object({ id: z.number().int(), name: z.string() }),
    basePath: z.string(),
    requiredFormat: z.enum(DISK_FORMAT_REQUIREMENTS),
    limitMb: z.number().int().nullable(),
    enabled: z.boolean(),
    state: z.enum(["ENABLED", "DISABLED"]),
    description: z.string(),
    imageCount: z.number().int(),
    capacity: capacityDto,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .extend(ownershipDto.shape);
export type DatastoreDto = z.infer<typeof datastoreDto>;

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

export const listDatastores = defineOperation({
  id: "listDatastores",
  method: "GET",
  path: "/api/v1/datastores",
  summary: "Datastores of the local zone you may use",
  tag: "Datastores",
  auth: "user",
  query: listQuery(["id", "name", "type", "createdAt"] as const).extend({
    type: z.enum(DATASTORE_TYPES).optional(),
    enabled: queryBool.optional(),
  }),
  response: pageOf(datastoreDto),
});

export const createDatastore = defineOperation({
  id: "createDatastore",
  method: "POST",
  path: "/api/v1/datastores",
  summary: "Create a datastore in the local zone (create right; only admins choose the directory)",
  tag: "Datastores",
  auth: "user",
  body: z.object({
    name: objectName,
    type: z.enum(DATASTORE_TYPES).default("IMAGE"),
    driver: z.enum(["fs"]).default("fs"),
    basePath: basePath.optional(),
    requiredFormat: z.enum(DISK_FORMAT_REQUIREMENTS).default("any"),
    limitMb: limitMb.default(null),
    description: description.default(""),
    enabled: z.boolean().default(true),
  }),
  response: datastoreDto,
  status: 201,
});

export const getDatastore = defineOperation({
  id: "getDatastore",
  method: "GET",
  path: "/api/v1/datastores/{id}",
  summary: "A datastore with its capacity",
  tag: "Datastores",
  auth: "user",
  params: idParams,
  response: datastoreDto,
});

export const updateDatastore = defineOperation({
  id: "updateDatastore",
  method: "PATCH",
  path: "/api/v1/datastores/{id}",
  summary: "Rename, describe, enable/disable, change the format requirement or limit (MANAGE)",
  tag: "Datastores",
  auth: "user",
  params: idParams,
  body: z
    .object({
      name: objectName,
      description,
      enabled: z.boolean(),
      requiredFormat: z.enum(DISK_FORMAT_REQUIREMENTS),
      limitMb,
    })
    .partial()
    .refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
  response: datastoreDto,
});

export const deleteDatastore = defineOperation({
  id: "deleteDatastore",
  method: "DELETE",
  path: "/api/v1/datastores/{id}",
  summary: "Delete an empty datastore (MANAGE)",
  tag: "Datastores",
  auth: "user",
  params: idParams,
  status: 204,
});

export const { chmod: chmodDatastore, chown: chownDatastore } = permissionOperations(
  "datastores",
  "Datastores",
  "Datastore",
);
