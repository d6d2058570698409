import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, pageOf, queryBool, timestamp } from "@/lib/api/schemas";
import {
  createDatastoreBody,
  DATASTORE_TYPES,
  datastoreFields,
  DISK_FORMAT_REQUIREMENTS,
} from "@/lib/datastores/datastore-schemas";
import { ownershipDto } from "@/lib/permissions/shared-dto";
import { permissionOperations } from "./shared";

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
  body: createDatastoreBody,
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
  body: datastoreFields.partial().refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
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
