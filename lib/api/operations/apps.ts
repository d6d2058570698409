import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, objectName, pageOf, ref, timestamp } from "@/lib/api/schemas";
import { ownershipDto } from "@/lib/permissions/shared-dto";
import { MARKET_DRIVERS } from "@/lib/markets/drivers/config";
import { imageDto, jobSummaryDto } from "./images";
import { permissionOperations } from "./shared";

export const APP_TYPES = ["IMAGE", "VMTEMPLATE", "SERVICE_TEMPLATE"] as const;
export const APP_STATES = ["INIT", "LOCKED", "READY", "ERROR", "DISABLED"] as const;
export const LOCK_LEVELS = ["USE", "MANAGE", "ADMIN"] as const;

export const appDto = z
  .object({
    id: z.number().int(),
    name: z.string(),
    type: z.enum(APP_TYPES),
    state: z.enum(APP_STATES),
    error: z.string(),
    description: z.string(),
    version: z.string(),
    publisher: z.string(),
    tags: z.array(z.string()),
    hypervisor: z.string(),
    architecture: z.string(),
    format: z.string(),
    sizeBytes: z.number(),
    virtualSizeBytes: z.number(),
    md5: z.string(),
    sha256: z.string(),
    /** backend location (BASE_URL/key or s3://bucket/key), set when READY */
    source: z.string(),
    /** image attributes an import recreates */
    imageTemplate: z.object({ type: z.string() }).catchall(z.string()),
    /** VM template carried along (OpenNebula template text) */
    vmTemplate: z.string(),
    /** the image it was published from, when it still exists */
    originImageId: z.number().int().nullable(),
    marketplace: z.object({
      id: z.number().int(),
      name: z.string(),
      driver: z.enum(MARKET_DRIVERS),
      enabled: z.boolean(),
    }),
    zone: ref,
    lockLevel: z.enum(LOCK_LEVELS).nullable(),
    /** the newest job that moved this app's bytes */
    job: jobSummaryDto.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .extend(ownershipDto.shape);
export type AppDto = z.infer<typeof appDto>;

const description = z.string().trim().max(4096, "must be at most 4096 characters");
const shortText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._+-]{0,31}$/, "tags are 1-32 lowercase letters, digits, '.', '_', '+' or '-'");
const tags = z
  .array(tag)
  .max(20, "at most 20 tags")
  .transform((t) => [...new Set(t)]);
const vmTemplate = z.string().max(65536, "must be at most 64 KiB");

export const APP_SORTS = ["name", "id", "createdAt", "sizeBytes", "version", "state", "type"] as const;

export const listApps = defineOperation({
  id: "listApps",
  method: "GET",
  path: "/api/v1/apps",
  summary: "The catalog: every app you may use, across all marketplaces and zones",
  tag: "Apps",
  auth: "user",
  query: listQuery(APP_SORTS).extend({
    type: z.enum(APP_TYPES).optional(),
    state: z.enum(APP_STATES).optional(),
    marketplaceId: z.coerce.number().int().positive().optional(),
    zoneId: z.coerce.number().int().positive().optional(),
    ownerId: z.coerce.number().int().positive().optional(),
    format: shortText(32).optional(),
    hypervisor: shortText(64).optional(),
    architecture: shortText(64).optional(),
    /** comma-separated; an app must carry every one */
    tags: z
      .string()
      .trim()
      .max(400)
      .transform((v) =>
        v
          .split(",")
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean),
      )
      .optional(),
  }),
  response: pageOf(appDto),
});

export const listAppFacets = defineOperation({
  id: "listAppFacets",
  method: "GET",
  path: "/api/v1/apps/facets",
  summary: "Values the catalog filters can take (among the apps you may use)",
  tag: "Apps",
  auth: "user",
  response: z.object({
    formats: z.array(z.string()),
    hypervisors: z.array(z.string()),
    architectures: z.array(z.string()),
    tags: z.array(z.string()),
  }),
});

export const publishApp = defineOperation({
  id: "publishApp",
  method: "POST",
  path: "/api/v1/apps",
  summary:
    "Publish an image as an app into a marketplace of the local zone (USE on both, create right); a job copies the bytes",
  tag: "Apps",
  auth: "user",
  body: z.object({
    marketplaceId: z.number().int().positive(),
    imageId: z.number().int().positive(),
    name: objectName,
    version: shortText(64).min(1, "is required").default("1.0"),
    description: description.default(""),
    tags: tags.default([]),
    hypervisor: shortText(64).default(""),
    architecture: shortText(64).default(""),
    vmTemplate: vmTemplate.default(""),
  }),
  response: appDto,
  status: 201,
});

export const getApp = defineOperation({
  id: "getApp",
  method: "GET",
  path: "/api/v1/apps/{id}",
  summary: "An app",
  tag: "Apps",
  auth: "user",
  params: idParams,
  response: appDto,
});

export const updateApp = defineOperation({
  id: "updateApp",
  method: "PATCH",
  path: "/api/v1/apps/{id}",
  summary: "Edit an app's metadata or enable/disable it (MANAGE); source, size, checksums and format never change",
  tag: "Apps",
  auth: "user",
  params: idParams,
  body: z
    .object({
      name: objectName,
      version: shortText(64).min(1, "is required"),
      description,
      tags,
      hypervisor: shortText(64),
      architecture: shortText(64),
      vmTemplate,
      enabled: z.boolean(),
    })
    .partial()
    .refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
  response: appDto,
});

export const deleteApp = defineOperation({
  id: "deleteApp",
  method: "DELETE",
  path: "/api/v1/apps/{id}",
  summary: "Delete an app and its bytes (MANAGE, in its own zone); when the backend refuses, the app stays in ERROR",
  tag: "Apps",
  auth: "user",
  params: idParams,
  status: 204,
});

export const lockApp = defineOperation({
  id: "lockApp",
  method: "POST",
  path: "/api/v1/apps/{id}/lock",
  summary: "Lock an app: USE blocks every action, MANAGE blocks manage and admin actions, ADMIN blocks admin ones",
  tag: "Apps",
  auth: "user",
  params: idParams,
  body: z.object({ level: z.enum(LOCK_LEVELS) }),
  response: appDto,
});

export const unlockApp = defineOperation({
  id: "unlockApp",
  method: "POST",
  path: "/api/v1/apps/{id}/unlock",
  summary: "Take an app's lock off (MANAGE)",
  tag: "Apps",
  auth: "user",
  params: idParams,
  response: appDto,
});

export const importApp = defineOperation({
  id: "importApp",
  method: "POST",
  path: "/api/v1/apps/{id}/import",
  summary:
    "Import a READY app into a datastore of the local zone (USE on app and datastore); a job streams and verifies the bytes",
  tag: "Apps",
  auth: "user",
  params: idParams,
  body: z.object({
    datastoreId: z.number().int().positive(),
    name: objectName,
  }),
  response: imageDto,
  status: 201,
});

export const downloadApp = defineOperation({
  id: "downloadApp",
  method: "GET",
  path: "/api/v1/apps/{id}/download",
  summary: "Download a READY app's bytes (HTTP Range supported)",
  tag: "Apps",
  auth: "user",
  params: idParams,
});

export const { chmod: chmodApp, chown: chownApp } = permissionOperations("apps", "Apps", "App");
