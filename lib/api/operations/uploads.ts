import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";

/**
 * Resumable uploads speak the tus 1.0 protocol (https://tus.io/protocols/resumable-upload):
 * create an image with source "upload" first, then POST here with `Upload-Length` and
 * `Upload-Metadata: imageId <base64 id>`; PATCH the bytes to the returned Location; HEAD it to
 * learn the offset after an interruption and go on from there.
 */
const uploadId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]+$/) });

export const createUpload = defineOperation({
  id: "createUpload",
  method: "POST",
  path: "/api/v1/uploads",
  summary: "tus: start a resumable upload for an INIT image (Upload-Length, Upload-Metadata imageId)",
  tag: "Uploads",
  auth: "user",
  status: 201,
  statuses: [400, 404, 409, 410, 412, 413, 415, 507],
});

export const uploadOffset = defineOperation({
  id: "uploadOffset",
  method: "HEAD",
  path: "/api/v1/uploads/{id}",
  summary: "tus: how many bytes the server has (Upload-Offset)",
  tag: "Uploads",
  auth: "user",
  params: uploadId,
  statuses: [400, 410, 412],
});

export const appendUpload = defineOperation({
  id: "appendUpload",
  method: "PATCH",
  path: "/api/v1/uploads/{id}",
  summary: "tus: append bytes at Upload-Offset (application/offset+octet-stream)",
  tag: "Uploads",
  auth: "user",
  params: uploadId,
  status: 204,
  statuses: [400, 409, 410, 412, 413, 415],
});

export const cancelUpload = defineOperation({
  id: "cancelUpload",
  method: "DELETE",
  path: "/api/v1/uploads/{id}",
  summary: "tus: abandon an unfinished upload (the image goes to ERROR)",
  tag: "Uploads",
  auth: "user",
  params: uploadId,
  status: 204,
  statuses: [400, 410, 412],
});
