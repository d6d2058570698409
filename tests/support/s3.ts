import { createHash, createHmac } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import path from "node:path";
import { s3MarketConfig, type S3MarketConfig, type S3MarketSecrets } from "@/lib/markets/drivers/config";

/**
 * An S3-compatible server for tests: s3rver on 127.0.0.1 with its files in a temporary
 * directory, plus a shim (a Koa middleware in front of s3rver's own) for what s3rver lacks
 * and the market drivers rely on:
 *  - SigV4 signature verification (s3rver only checks V2 signatures, so a wrong secret key
 *    would pass unnoticed);
 *  - AbortMultipartUpload (DELETE /<bucket>/<key>?uploadId=…; s3rver answers 405);
 *  - ListMultipartUploads (GET /<bucket>?uploads; s3rver answers NotImplemented);
 *  - ListObjectsV2 continuation tokens (s3rver makes them with DES, which OpenSSL 3 no longer
 *    offers: any listing of more than one page fails with InternalError);
 *  - `Range: bytes=0-0` (s3rver takes the end 0 for "no end" and sends the whole object).
 * Path-style requests only (forcePathStyle).
 */

export const S3RVER_ACCESS_KEY_ID = "S3RVER";
export const S3RVER_SECRET_ACCESS_KEY = "S3RVER";

export interface S3Request {
  method: string;
  /** path and query string as sent */
  url: string;
}

export interface TestS3 {
  /** e.g. http://127.0.0.1:40123 */
  endpoint: string;
  port: number;
  /** s3rver's storage root */
  directory: string;
  /** every request the server received, oldest first */
  requests: S3Request[];
  /** stops accepting and cuts open connections, like a crashed service; the files stay */
  stop(): Promise<void>;
  /**
   * From now on, the part uploads after the first `n` are held unanswered (until stop()): a
   * multipart upload is then surely in the middle, with `n` parts stored.
   */
  holdPartsAfter(n: number): void;
  /** how many part uploads are held */
  heldParts(): number;
  /** ids of the multipart uploads s3rver holds on disk for a bucket (ground truth) */
  uploadsOnDisk(bucket: string): Promise<string[]>;
}

interface KoaContext {
  method: string;
  path: string;
  url: string;
  query: Record<string, string | string[] | undefined>;
  querystring: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
  length: number;
  set(field: string, value: string): void;
  response: { get(field: string): string };
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
/** The part of s3rver's FilesystemStore the shim lists objects with. */
interface S3rverStore {
  getBucket(bucket: string): Promise<unknown>;
  listObjects(
    bucket: string,
    options: { prefix?: string; startAfter?: string; maxKeys?: number; delimiter?: string },
  ): Promise<{
    objects: { key: string; size: number; lastModifiedDate: Date; metadata: { etag: string } }[];
    commonPrefixes: string[];
    isTruncated: boolean;
  }>;
}
interface S3rverInstance {
  middleware: Middleware[];
  store: S3rverStore;
  run(): Promise<AddressInfo>;
  httpServer: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver is CommonJS without type declarations
const S3rver = createRequire(import.meta.url)("s3rver") as S3rverClass;

/** Where s3rver keeps a bucket's multipart uploads (FilesystemStore.getResourcePath(bucket, undefined, "uploads")). */
const uploadsDir = (root: string, bucket: string) => path.join(root, bucket, "._S3rver_uploads");

/**
 * Starts the server; with `directory` and `port` of a stopped one, it comes back with what that
 * one held. `listUploads: false` leaves ListMultipartUploads unimplemented, as s3rver has it.
 */
export async function startS3(
  opts: { directory?: string; port?: number; listUploads?: boolean } = {},
): Promise<TestS3> {
  const directory = opts.directory ?? (await mkdtemp(path.join(tmpdir(), "bazaar-s3-")));
  const requests: S3Request[] = [];
  let partsToPass = Infinity;
  const held = new Set<() => void>();
  const server = new S3rver({
    address: "127.0.0.1",
    port: opts.port ?? 0,
    directory,
    silent: true,
    allowMismatchedSignatures: false,
    vhostBuckets: false,
  });
  // Koa composes its middleware when the server starts listening, so this runs first
  server.middleware.unshift(async (ctx, next) => {
    requests.push({ method: ctx.method, url: ctx.url });
    if (ctx.method === "PUT" && "partNumber" in ctx.query && partsToPass-- <= 0) {
      await new Promise<void>((resolve) => held.add(resolve));
      return;
    }
    const refused = authenticationError(ctx);
    if (refused) return xmlError(ctx, 403, ...refused);
    const [bucket, ...rest] = ctx.path.slice(1).split("/").map(decodeURIComponent);
    const key = rest.join("/");
    const param = (name: string) => (typeof ctx.query[name] === "string" ? (ctx.query[name] as string) : undefined);
    if (ctx.method === "DELETE" && key && param("uploadId") !== undefined) {
      return abortUpload(ctx, directory, bucket, param("uploadId")!);
    }
    if (opts.listUploads !== false && ctx.method === "GET" && bucket && !key && "uploads" in ctx.query) {
      return listUploads(ctx, directory, bucket, param("prefix") ?? "");
    }
    if (ctx.method === "GET" && bucket && !key && param("list-type") === "2") {
      return listObjectsV2(ctx, server.store, bucket, param);
    }
    await next();
    if (ctx.method === "GET" && ctx.headers.range === "bytes=0-0" && ctx.status === 206) firstByteOnly(ctx);
  });
  const address = await server.run();
  const httpServer = server.httpServer;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    directory,
    requests,
    stop: async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
      for (const release of held) release();
      held.clear();
      await closed;
    },
    holdPartsAfter: (n) => {
      partsToPass = n;
    },
    heldParts: () => held.size,
    uploadsOnDisk: async (bucket) => {
      try {
        return (await readdir(uploadsDir(directory, bucket))).sort();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw err;
      }
    },
  };
}

/** A market driver configuration for the test server (path-style, s3rver's fixed credentials, 5 MB parts). */
export function s3ConfigFor(endpoint: string, bucket: string): { config: S3MarketConfig; secrets: S3MarketSecrets } {
  return {
    config: s3MarketConfig.parse({
      accessKeyId: S3RVER_ACCESS_KEY_ID,
      region: "us-east-1",
      bucket,
      endpoint,
      forcePathStyle: true,
      partSizeMb: 5,
    }),
    secrets: { secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
  };
}

function xmlError(ctx: KoaContext, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.type = "application/xml";
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

async function abortUpload(ctx: KoaContext, root: string, bucket: string, uploadId: string): Promise<void> {
  const dir = path.join(uploadsDir(root, bucket), uploadId);
  if (!/^[0-9a-f]+$/.test(uploadId) || !(await stat(dir).catch(() => null))) {
    return xmlError(ctx, 404, "NoSuchUpload", "The specified multipart upload does not exist.");
  }
  await rm(dir, { recursive: true, force: true });
  ctx.status = 204;
}

async function listUploads(ctx: KoaContext, root: string, bucket: string, prefix: string): Promise<void> {
  if (!(await stat(path.join(root, bucket)).catch(() => null))) {
    return xmlError(ctx, 404, "NoSuchBucket", "The specified bucket does not exist");
  }
  let ids: string[] = [];
  try {
    ids = (await readdir(uploadsDir(root, bucket))).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const uploads: string[] = [];
  for (const id of ids) {
    const dir = path.join(uploadsDir(root, bucket), id);
    const key = await readFile(path.join(dir, "key"), "utf8").catch(() => null);
    if (key === null || !key.startsWith(prefix)) continue;
    const initiated = (await stat(dir)).mtime.toISOString();
    uploads.push(
      `<Upload><Key>${escapeXml(key)}</Key><UploadId>${id}</UploadId><Initiated>${initiated}</Initiated></Upload>`,
    );
  }
  ctx.status = 200;
  ctx.type = "application/xml";
  ctx.body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult>` +
    `<Bucket>${escapeXml(bucket)}</Bucket><Prefix>${escapeXml(prefix)}</Prefix><IsTruncated>false</IsTruncated>` +
    `${uploads.join("")}</ListMultipartUploadsResult>`;
}

/** ListObjectsV2 over s3rver's store, with the last key listed (base64) as continuation token. */
async function listObjectsV2(
  ctx: KoaContext,
  store: S3rverStore,
  bucket: string,
  param: (name: string) => string | undefined,
): Promise<void> {
  if (!(await store.getBucket(bucket))) {
    return xmlError(ctx, 404, "NoSuchBucket", "The specified bucket does not exist");
  }
  const token = param("continuation-token");
  const prefix = param("prefix") ?? "";
  const delimiter = param("delimiter") ?? "";
  const maxKeys = Math.min(1000, Number(param("max-keys") ?? 1000));
  const startAfter = token ? Buffer.from(token, "base64url").toString() : param("start-after");
  const result =
    maxKeys === 0
      ? { objects: [], commonPrefixes: [], isTruncated: false }
      : await store.listObjects(bucket, { prefix, startAfter, maxKeys, delimiter });
  const last = result.objects.at(-1)?.key;
  const el = (name: string, value: string | number | undefined) =>
    value === undefined ? "" : `<${name}>${escapeXml(String(value))}</${name}>`;
  ctx.status = 200;
  ctx.type = "application/xml";
  ctx.body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    el("Name", bucket) +
    el("Prefix", prefix) +
    el("ContinuationToken", token) +
    el("StartAfter", token ? undefined : startAfter) +
    el("KeyCount", result.objects.length) +
    el("MaxKeys", maxKeys) +
    el("Delimiter", delimiter || undefined) +
    el("IsTruncated", String(result.isTruncated)) +
    el("NextContinuationToken", result.isTruncated && last ? Buffer.from(last).toString("base64url") : undefined) +
    result.objects
      .map(
        (o) =>
          "<Contents>" +
          el("Key", o.key) +
          el("LastModified", o.lastModifiedDate.toISOString()) +
          el("ETag", o.metadata.etag) +
          el("Size", o.size) +
          el("StorageClass", "STANDARD") +
          "</Contents>",
      )
      .join("") +
    result.commonPrefixes.map((p) => `<CommonPrefixes>${el("Prefix", p)}</CommonPrefixes>`).join("") +
    "</ListBucketResult>";
}

/** Cuts s3rver's whole-object answer to `bytes=0-0` down to the one byte asked for. */
function firstByteOnly(ctx: KoaContext): void {
  if (!(ctx.body instanceof Readable)) return;
  const whole = ctx.body;
  const total = ctx.response.get("Content-Range").split("/")[1];
  ctx.body = Readable.from(
    (async function* () {
      for await (const chunk of whole) {
        yield (chunk as Buffer).subarray(0, 1);
        break; // ends (and closes) the file stream
      }
    })(),
  );
  ctx.set("Content-Range", `bytes 0-0/${total}`);
  ctx.length = 1;
}

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

/** RFC 3986 encoding as SigV4 wants it. */
const encodeRfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

/**
 * Checks a header-signed SigV4 request against s3rver's one key pair: null when it is fine,
 * else the S3 error. Requests signed otherwise (V2, presigned URLs, none) are left to s3rver.
 */
function authenticationError(ctx: KoaContext): [code: string, message: string] | null {
  const header = ctx.headers.authorization;
  if (typeof header !== "string" || !header.startsWith("AWS4-HMAC-SHA256 ")) return null;
  const fields = Object.fromEntries(
    header
      .slice("AWS4-HMAC-SHA256 ".length)
      .split(",")
      .map((f) => f.trim().split("=") as [string, string]),
  );
  const [accessKeyId, date, region, service] = (fields.Credential ?? "").split("/");
  if (accessKeyId !== S3RVER_ACCESS_KEY_ID) {
    return ["InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."];
  }
  const signedHeaders = (fields.SignedHeaders ?? "").split(";");
  const headerValue = (name: string) => {
    const v = ctx.headers[name];
    return (Array.isArray(v) ? v.join(",") : (v ?? "")).trim().replace(/\s+/g, " ");
  };
  const query = ctx.querystring
    .split("&")
    .filter(Boolean)
    .map((pair) => {
      const [k, v = ""] = pair.split("=").map((s) => decodeURIComponent(s.replace(/\+/g, " ")));
      return [encodeRfc3986(k), encodeRfc3986(v)];
    })
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalRequest = [
    ctx.method,
    ctx.path,
    query,
    signedHeaders.map((h) => `${h}:${headerValue(h)}\n`).join(""),
    signedHeaders.join(";"),
    headerValue("x-amz-content-sha256"),
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    headerValue("x-amz-date"),
    scope,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  let key: Buffer = Buffer.from(`AWS4${S3RVER_SECRET_ACCESS_KEY}`);
  for (const part of [date, region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  if (createHmac("sha256", key).update(stringToSign).digest("hex") === fields.Signature) return null;
  return ["SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."];
}
