import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { stat } from "node:fs/promises";
import { FileStore } from "@tus/file-store";
import { Server, type Upload } from "@tus/server";
import { urlId } from "@/lib/api/schemas";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { subjectOf } from "@/lib/auth/context";
import { decide } from "@/lib/permissions/operations";
import { holds } from "@/lib/permissions/rights";
import { measureCapacity, noSpaceMessage } from "@/lib/datastores/measure-capacity";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { recordAudit } from "@/lib/audit/record-audit";
import { failImage } from "@/lib/images/fail-image";
import { importUploadJob } from "@/lib/images/import-image-job";
import { uploadFile } from "@/lib/images/upload-file";

/**
 * The signed-in user of each request tus is handling. The route stamps the request with a
 * one-time key (any such header from the client is dropped) and the hooks look it up: tus
 * runs its hooks outside the request's async context, so async-local storage cannot carry it.
 */
const CTX_HEADER = "x-bazaar-request-key";
/** `finished`: the request brought the upload's last byte (so it no longer expires) */
const requestUsers = new Map<string, { ctx: Ctx; finished: boolean }>();

export async function withRequestUser(
  req: Request,
  ctx: Ctx,
  run: (req: Request) => Promise<Response>,
): Promise<Response> {
  const key = randomUUID();
  const headers = new Headers(req.headers);
  headers.set(CTX_HEADER, key);
  const stamped = new Request(req.url, { method: req.method, headers, body: req.body, duplex: "half" } as RequestInit);
  const record = { ctx, finished: false };
  requestUsers.set(key, record);
  try {
    const res = await run(stamped);
    const created = req.method === "POST" && res.status === 201;
    if (!record.finished && (created || (req.method === "PATCH" && res.status === 204))) {
      const id = created ? res.headers.get("location")?.split("/").pop() : new URL(req.url).pathname.split("/").pop();
      if (id) res.headers.set("Upload-Expires", (await expiryOf(id)).toUTCString());
    }
    return res;
  } finally {
    requestUsers.delete(key);
  }
}

/**
 * When an unfinished upload expires if no more bytes come: the expiry counts from its last
 * byte (the file's modification time), as expireAbandonedUploads does.
 */
async function expiryOf(uploadId: string): Promise<Date> {
  const lastByte = await stat(uploadFile(uploadId)).then(
    (s) => s.mtimeMs,
    () => Date.now(),
  );
  return new Date(lastByte + getConfig().uploadExpireHours * 3_600_000);
}

const refuse = (status_code: number, body: string) => ({ status_code, body });

function requestOf(req: Request) {
  const record = requestUsers.get(req.headers.get(CTX_HEADER) ?? "");
  if (!record) throw refuse(401, "Not signed in");
  return record;
}

const ctxOf = (req: Request): Ctx => requestOf(req).ctx;

/** 410: tus clients give up on a gone upload instead of retrying it. */
const uploadOver = (img: { name: string; state: string; error: string }) =>
  refuse(410, `Image ${img.name} is ${img.state}${img.error ? ` (${img.error})` : ""}; the upload is over`);

/** The image an upload belongs to, if the acting user may manage it. */
async function imageOfUpload(req: Request, uploadId: string) {
  const ctx = ctxOf(req);
  const img = await db().image.findFirst({ where: { uploadId, zoneId: ctx.zone.id } });
  if (!img || !holds(subjectOf(ctx), img, "USE")) throw refuse(404, "Upload not found");
  if (!decide(subjectOf(ctx), img, "update").allowed) throw refuse(403, `You may not change image ${img.name}`);
  return { img, ctx };
}

async function onUploadCreate(req: Request, upload: Upload) {
  const ctx = ctxOf(req);
  // read as ids in URLs are: decimal digits within the id columns (not 1e3, 0x10 or 2^31)
  const parsed = urlId().safeParse(upload.metadata?.imageId);
  if (!parsed.success) throw refuse(400, "Upload-Metadata must carry imageId, an image id in decimal");
  const imageId = parsed.data;
  const img = await db().image.findFirst({ where: { id: imageId, zoneId: ctx.zone.id }, include: { datastore: true } });
  if (!img || !holds(subjectOf(ctx), img, "USE")) throw refuse(404, `Image ${imageId} not found`);
  if (!decide(subjectOf(ctx), img, "update").allowed) throw refuse(403, `You may not change image ${img.name}`);
  // 410, not 409: tus clients retry a 409 (an offset conflict), and this will not change
  if (img.origin !== "UPLOAD" || img.state !== "INIT")
    throw refuse(410, `Image ${img.name} is ${img.state} and does not take an upload`);
  // A deferred length would let the client decide the size after bytes moved; the image was
  // created with its size, so the length is fixed up front and tus keeps every PATCH within it.
  if (upload.size === undefined) throw refuse(400, "Upload-Length is required (deferred length is not supported)");
  if (img.declaredBytes !== null && BigInt(upload.size) !== img.declaredBytes) {
    // 413 is what tus answers for a length over the maximum; a shorter one is a bad request
    throw refuse(
      BigInt(upload.size) > img.declaredBytes ? 413 : 400,
      `Upload-Length ${upload.size} does not match the size image ${img.name} was created with (${img.declaredBytes} bytes)`,
    );
  }
  // the image reserved its room when it was created
  const { capacity } = await measureCapacity(img.datastore, { exceptImageIds: [img.id] });
  if (upload.size > capacity.freeBytes)
    throw refuse(507, noSpaceMessage(img.datastore.name, upload.size, capacity.freeBytes));
  // one upload per image: a second one is refused (the client resumes the first instead)
  const { count } = await db().image.updateMany({
    where: { id: img.id, uploadId: "", state: "INIT" },
    data: { uploadId: upload.id },
  });
  if (count !== 1) throw refuse(409, `Image ${img.name} already has an upload; resume it`);
  return { metadata: { ...upload.metadata, userId: String(ctx.user.id) } };
}

async function onUploadFinish(req: Request, upload: Upload) {
  const { img, ctx } = await imageOfUpload(req, upload.id);
  requestOf(req).finished = true;
  // expired (or cancelled) while this request's bytes were on their way
  if (img.state === "ERROR") throw uploadOver(img);
  await db().$transaction(async (tx) => {
    const { count } = await tx.image.updateMany({ where: { id: img.id, state: "INIT" }, data: { state: "LOCKED" } });
    if (count !== 1) return; // already handed to a job (a repeated final PATCH)
    await enqueueJob(tx, importUploadJob, {
      zoneId: img.zoneId,
      payload: { imageId: img.id, uploadId: upload.id },
      title: `Import upload of ${img.name}`,
      objectType: "IMAGE",
      objectId: img.id,
      createdById: ctx.user.id,
      bytesTotal: upload.size ?? null,
    });
    await recordAudit(
      { ...ctx, tx },
      {
        action: "image.upload-finished",
        objectType: "IMAGE",
        objectId: img.id,
        objectName: img.name,
        details: { bytes: upload.size },
      },
    );
  });
  return {};
}

async function onIncomingRequest(req: Request, uploadId: string) {
  if (req.method === "POST" || req.method === "OPTIONS") return; // creation is vetted by onUploadCreate
  const { img } = await imageOfUpload(req, uploadId);
  if (req.method === "PATCH" && img.state !== "INIT") throw uploadOver(img);
  // an expired upload's bytes are gone: say why instead of a bare 404
  if (req.method === "HEAD" && img.state === "ERROR") throw uploadOver(img);
  if (req.method === "DELETE") {
    if (img.state !== "INIT") throw uploadOver(img);
    await failImage(img.id, "the upload was cancelled");
  }
}

function createServer(): Server {
  const { uploadDir } = getConfig();
  mkdirSync(uploadDir, { recursive: true });
  return new Server({
    path: "/api/v1/uploads",
    datastore: new FileStore({ directory: uploadDir }),
    relativeLocation: true,
    respectForwardedHeaders: true,
    exposedHeaders: ["Upload-Expires"],
    onUploadCreate,
    onUploadFinish,
    onIncomingRequest,
  });
}

const store = globalThis as unknown as { __bazaarTus?: Server };

export function tusServer(): Server {
  store.__bazaarTus ??= createServer();
  return store.__bazaarTus;
}
