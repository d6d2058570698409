import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, pageOf, queryBool, ref, timestamp, urlId } from "@/lib/api/schemas";
import { createImageBody, IMAGE_TYPES, imageFields } from "@/lib/images/image-schemas";
import { ownershipDto, sharedRefDto } from "@/lib/permissions/shared-dto";
import { permissionOperations } from "./shared";

export const IMAGE_STATES = ["INIT", "LOCKED", "READY", "USED", "DISABLED", "ERROR"] as const;
export const IMAGE_ORIGINS = ["UPLOAD", "URL", "APP"] as const;

export const jobSummaryDto = z.object({
  id: z.number().int(),
  kind: z.string(),
  state: z.string(),
  phase: z.string(),
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  rateBps: z.number(),
  error: z.string(),
  cancelRequested: z.boolean(),
  createdById: z.number().int().nullable(),
});

export const imageDto = z
  .object({
    id: z.number().int(),
    name: z.string(),
    type: z.enum(IMAGE_TYPES),
    state: z.enum(IMAGE_STATES),
    error: z.string(),
    description: z.string(),
    format: z.string(),
    sizeBytes: z.number(),
    virtualSizeBytes: z.number(),
    md5: z.string(),
    sha256: z.string(),
    origin: z.enum(IMAGE_ORIGINS),
    sourceUrl: z.string(),
    expectedMd5: z.string(),
    expectedSha256: z.string(),
    uploadId: z.string(),
    /** the marketplace app an APP image was imported from */
    fromAppId: z.number().int().nullable(),
    /** by id alone when you may not use the datastore */
    datastore: sharedRefDto({ name: z.string() }),
    zone: ref,
    /** the newest job that moved this image's bytes */
    job: jobSummaryDto.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .extend(ownershipDto.shape);
export type ImageDto = z.infer<typeof imageDto>;

export const listImages = defineOperation({
  id: "listImages",
  method: "GET",
  path: "/api/v1/images",
  summary: "Images of the local zone you may use",
  tag: "Images",
  auth: "user",
  query: listQuery(["id", "name", "sizeBytes", "state", "createdAt"] as const).extend({
    datastoreId: urlId().optional(),
    state: z.enum(IMAGE_STATES).optional(),
    type: z.enum(IMAGE_TYPES).optional(),
    mine: queryBool.optional(),
  }),
  response: pageOf(imageDto),
});

export const createImage = defineOperation({
  id: "createImage",
  method: "POST",
  path: "/api/v1/images",
  summary:
    "Create an image: from a URL (a job downloads it) or for a browser upload (then send the bytes with tus to /api/v1/uploads with metadata imageId)",
  tag: "Images",
  auth: "user",
  body: createImageBody,
  response: imageDto,
  status: 201,
  statuses: [507],
});

export const getImage = defineOperation({
  id: "getImage",
  method: "GET",
  path: "/api/v1/images/{id}",
  summary: "An image, with the progress of the job moving its bytes",
  tag: "Images",
  auth: "user",
  params: idParams,
  response: imageDto,
});

export const updateImage = defineOperation({
  id: "updateImage",
  method: "PATCH",
  path: "/api/v1/images/{id}",
  summary: "Rename, describe, change the type, enable or disable an image (MANAGE)",
  tag: "Images",
  auth: "user",
  params: idParams,
  body: imageFields
    .extend({ enabled: z.boolean() })
    .partial()
    .refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
  response: imageDto,
});

export const deleteImage = defineOperation({
  id: "deleteImage",
  method: "DELETE",
  path: "/api/v1/images/{id}",
  summary: "Delete an image and its bytes (MANAGE; refused while USED or LOCKED)",
  tag: "Images",
  auth: "user",
  params: idParams,
  status: 204,
});

export const downloadImage = defineOperation({
  id: "downloadImage",
  method: "GET",
  path: "/api/v1/images/{id}/download",
  summary: "The image's bytes (READY or USED; HTTP Range supported)",
  tag: "Images",
  auth: "user",
  params: idParams,
  statuses: [206, 304, 409, 416, 502],
});

export const { chmod: chmodImage, chown: chownImage } = permissionOperations("images", "Images", "Image");
