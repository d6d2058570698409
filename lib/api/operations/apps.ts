import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, pageOf, queryBool, ref, timestamp, urlId, zoneRef } from "@/lib/api/schemas";
import { appMetadata, copyAppBody, importAppBody, publishAppBody, shortText } from "@/lib/apps/app-schemas";
import { ownershipDto, sharedRefDto } from "@/lib/permissions/shared-dto";
import { MARKET_DRIVERS } from "@/lib/markets/drivers/config";
import { imageDto, jobSummaryDto } from "./images";
import { permissionOperations } from "./shared";

export const APP_TYPES = ["IMAGE", "VMTEMPLATE", "SERVICE_TEMPLATE"] as const;
export const APP_STATES = ["INIT", "LOCKED", "READY", "ERROR", "DISABLED"] as const;
export const LOCK_LEVELS = ["USE", "MANAGE", "ADMIN"] as const;

/** A marketplace as an app shows it: its id alone when you may not use it. */
const marketplaceRef = sharedRefDto({ name: z.string() });

/** A child app as a composite app's tree shows it: its id alone when you may not use it. */
const childAppShape = {
  name: z.string(),
  type: z.enum(APP_TYPES),
  state: z.enum(APP_STATES),
  error: z.string(),
  sizeBytes: z.number(),
  marketplace: marketplaceRef,
};
const appChild = z.object({
  position: z.number().int(),
  /** the disk ("DISK 0") or the role name the child stands for */
  slot: z.string(),
  /** false when the publish reused an app that existed before */
  created: z.boolean(),
  app: sharedRefDto(childAppShape),
});
export const appChildDto = appChild.extend({
  app: sharedRefDto({ ...childAppShape, children: z.array(appChild) }),
});
export type AppChildDto = z.infer<typeof appChildDto>;

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
    /**
     * VM template carried along (OpenNebula template text); a VMTEMPLATE app's disks name
     * their child apps by APP_ID
     */
    vmTemplate: z.string(),
    /** a SERVICE_TEMPLATE app's OneFlow JSON body ("" for other apps); roles name their child apps by app_id */
    serviceTemplate: z.string(),
    /** one line for cards and lists (a public catalog's short description) */
    shortDescription: z.string(),
    /** the logo a public catalog gives (an http(s) URL), "" for none */
    logoUrl: z.string(),
    /** a public catalog's identity of the app, "<id>@<version>" (null for apps published here) */
    upstreamKey: z.string().nullable(),
    /** the image it was published from, when it still exists */
    originImageId: z.number().int().nullable(),
    /** the VM or service template a composite app was published from */
    originTemplateId: z.number().int().nullable(),
    /** how many child apps a composite app has */
    childCount: z.number().int(),
    /** the child tree (two levels: roles, then disks); only in single-app responses */
    children: z.array(appChildDto).optional(),
    /** composite apps that use this app as a child (by id alone those you may not use) */
    parents: z.array(sharedRefDto({ name: z.string(), type: z.enum(APP_TYPES) })).optional(),
    /** by id alone when you may not use the marketplace */
    marketplace: sharedRefDto({ name: z.string(), driver: z.enum(MARKET_DRIVERS), enabled: z.boolean() }),
    zone: zoneRef,
    lockLevel: z.enum(LOCK_LEVELS).nullable(),
    /** the newest job that moved this app's bytes */
    job: jobSummaryDto.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .extend(ownershipDto.shape);
export type AppDto = z.infer<typeof appDto>;

export const APP_SORTS = ["name", "id", "createdAt", "sizeBytes", "version", "state", "type"] as const;

export const listApps = defineOperation({
  id: "listApps",
  method: "GET",
  path: "/api/v1/apps",
  summary: "The catalog: every app you may use, across all marketplaces and zones",
  tag: "Apps",
  auth: "user",
  query: listQuery(APP_SORTS).extend({
    /** the previous page's `nextCursor`: the page after it, whatever its number (`page` is then ignored) */
    cursor: z.string().trim().min(1).max(512).optional(),
    type: z.enum(APP_TYPES).optional(),
    state: z.enum(APP_STATES).optional(),
    marketplaceId: urlId().optional(),
    zoneId: urlId().optional(),
    ownerId: urlId().optional(),
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
  response: pageOf(appDto).extend({
    /** opaque; present when a page follows: pass it as `cursor` (with the same sort and order) for that page */
    nextCursor: z.string().optional(),
  }),
});

/** The values of one filter among the apps you may use, each with how many of those apps have it. */
const facetCounts = z.array(z.object({ value: z.string(), count: z.number().int() }));

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
    /**
     * how many of the apps you may use (in any state, whatever the other filters) have each
     * value: the values above, and those of the type, state, zone, marketplace and owner filters
     * (ids as strings)
     */
    counts: z.object({
      formats: facetCounts,
      hypervisors: facetCounts,
      architectures: facetCounts,
      tags: facetCounts,
      types: facetCounts,
      states: facetCounts,
      zoneIds: facetCounts,
      marketplaceIds: facetCounts,
      ownerIds: facetCounts,
    }),
  }),
});

export const publishApp = defineOperation({
  id: "publishApp",
  method: "POST",
  path: "/api/v1/apps",
  summary:
    "Publish an image, a VM template (with its disk images as child apps) or a service template (with its roles' VM templates) into a marketplace of the local zone; one job copies every byte, any failure removes everything",
  tag: "Apps",
  auth: "user",
  body: publishAppBody,
  response: appDto,
  status: 201,
  statuses: [502, 507],
  maxBodyBytes: 512 * 1024,
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
  body: appMetadata
    .extend({ enabled: z.boolean() })
    .partial()
    .refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
  response: appDto,
  maxBodyBytes: 512 * 1024,
});

export const deleteApp = defineOperation({
  id: "deleteApp",
  method: "DELETE",
  path: "/api/v1/apps/{id}",
  summary:
    "Delete an app and its bytes (MANAGE, in its own zone; refused while a composite app uses it); withChildren also deletes the child apps its publish created that nothing else uses",
  tag: "Apps",
  auth: "user",
  params: idParams,
  query: z.object({ withChildren: queryBool.default(false) }),
  status: 204,
  statuses: [502],
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

/** What an import will create (and, once started, is creating). */
export const importPlanDto = z.object({
  images: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      sizeBytes: z.number(),
      /** the IMAGE app the bytes come from */
      app: z.object({ id: z.number().int(), name: z.string() }),
    }),
  ),
  vmTemplates: z.array(
    z.object({
      name: z.string(),
      /** the app whose template it is */
      app: z.object({ id: z.number().int(), name: z.string() }),
      /** the names of its disk images, in disk order */
      disks: z.array(z.string()),
    }),
  ),
  serviceTemplate: z
    .object({
      name: z.string(),
      roles: z.array(z.object({ name: z.string(), vmTemplate: z.string() })),
    })
    .nullable(),
  datastore: ref,
  totalBytes: z.number(),
  freeBytes: z.number(),
});
export type ImportPlanDto = z.infer<typeof importPlanDto>;

export const previewAppImport = defineOperation({
  id: "previewAppImport",
  method: "POST",
  path: "/api/v1/apps/{id}/import-preview",
  summary:
    "What importing an app would create (images, VM templates, service template), with the same checks as the import",
  tag: "Apps",
  auth: "user",
  params: idParams,
  body: importAppBody,
  response: importPlanDto,
});

export const importApp = defineOperation({
  id: "importApp",
  method: "POST",
  path: "/api/v1/apps/{id}/import",
  summary:
    "Import a READY app into a datastore of the local zone (USE on app, children and datastore): one job streams and verifies every image, then creates the templates; any failure removes everything",
  tag: "Apps",
  auth: "user",
  params: idParams,
  body: importAppBody,
  response: importPlanDto.extend({
    jobId: z.number().int(),
    /** the images being imported (LOCKED until their bytes are in) */
    created: z.array(imageDto),
  }),
  status: 201,
  statuses: [502, 507],
});

export const copyApp = defineOperation({
  id: "copyApp",
  method: "POST",
  path: "/api/v1/apps/{id}/copy",
  summary:
    "Copy to marketplace (mirror): copy a READY app of any marketplace and zone, with its child apps, into a private marketplace of the local zone (USE on the app and every child, the create right, and what a publish there needs); one job copies and verifies every image's bytes, any failure removes every copy",
  tag: "Apps",
  auth: "user",
  params: idParams,
  body: copyAppBody,
  response: z.object({
    /** the job that copies the bytes */
    jobId: z.number().int(),
    /** the copy of the app, LOCKED until its job is done */
    app: appDto,
    /** every copy the job makes: the app's first, then its child apps' */
    created: z.array(appDto),
  }),
  status: 202,
  statuses: [507],
});

export const downloadApp = defineOperation({
  id: "downloadApp",
  method: "GET",
  path: "/api/v1/apps/{id}/download",
  summary: "Download a READY app's bytes (HTTP Range supported)",
  tag: "Apps",
  auth: "user",
  params: idParams,
  statuses: [206, 304, 307, 409, 416, 502],
});

export const { chmod: chmodApp, chown: chownApp } = permissionOperations("apps", "Apps", "App");
