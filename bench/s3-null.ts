/**
 * A null-sink S3 service for `bench/markets.ts`: a plain node HTTP server that speaks just
 * enough S3 (path style, no signature checks) for a multipart `Upload` of @aws-sdk/lib-storage
 * and for the s3 market driver's publish path, and throws every byte of the bodies away. It
 * keeps only each object's size, so HeadObject and listings answer what was written; GetObject
 * is not served. With it a publish measures the uploader, not the service (s3rver hashes and
 * writes every part, then reads, hashes and writes the whole object again).
 *
 *   s3-null.ts    prints `S3 <endpoint>` once it listens on 127.0.0.1
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";

interface Stored {
  size: number;
  etag: string;
  lastModified: Date;
}

const objects = new Map<string, Stored>();
/** multipart uploads in progress: their parts' sizes by part number */
const uploads = new Map<string, { key: string; parts: Map<number, number> }>();

const xml = (res: http.ServerResponse, body: string, status = 200) => {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
};
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const etag = () => `"${randomUUID().replace(/-/g, "")}"`;

/** Reads the body to its end and counts it: the null sink. */
async function drain(req: http.IncomingMessage): Promise<number> {
  let n = 0;
  for await (const chunk of req) n += (chunk as Buffer).length;
  return n;
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err: Error) => {
    if (!res.headersSent)
      xml(res, `<Error><Code>InternalError</Code><Message>${esc(err.message)}</Message></Error>`, 500);
    else res.destroy();
  });
});
// parts of 32 MiB over loopback: no request timeout gets in the way
server.requestTimeout = 0;

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", "http://s3");
  const [, bucket = "", ...rest] = url.pathname.split("/");
  const key = decodeURIComponent(rest.join("/"));
  const q = url.searchParams;
  const method = req.method ?? "GET";
  const body = await drain(req);

  if (!key) {
    if (method === "PUT") return void res.writeHead(200).end(); // CreateBucket
    if (method === "GET" && q.has("uploads"))
      return xml(
        res,
        `<ListMultipartUploadsResult><Bucket>${esc(bucket)}</Bucket><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`,
      );
    if (method === "GET") {
      const prefix = q.get("prefix") ?? "";
      const max = Number(q.get("max-keys") ?? 1000);
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const page = keys.slice(0, max);
      const contents = page
        .map((k) => {
          const o = objects.get(k)!;
          return `<Contents><Key>${esc(k)}</Key><Size>${o.size}</Size><ETag>${esc(o.etag)}</ETag><LastModified>${o.lastModified.toISOString()}</LastModified><StorageClass>STANDARD</StorageClass></Contents>`;
        })
        .join("");
      return xml(
        res,
        `<ListBucketResult><Name>${esc(bucket)}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${keys.length > page.length}</IsTruncated>${contents}</ListBucketResult>`,
      );
    }
  } else if (method === "POST" && q.has("uploads")) {
    const uploadId = randomUUID();
    uploads.set(uploadId, { key, parts: new Map() });
    return xml(
      res,
      `<InitiateMultipartUploadResult><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
    );
  } else if (method === "PUT" && q.has("uploadId")) {
    const upload = uploads.get(q.get("uploadId")!);
    if (!upload) return noSuchUpload(res);
    upload.parts.set(Number(q.get("partNumber")), body);
    res.writeHead(200, { etag: etag() });
    return void res.end();
  } else if (method === "POST" && q.has("uploadId")) {
    const upload = uploads.get(q.get("uploadId")!);
    if (!upload) return noSuchUpload(res);
    uploads.delete(q.get("uploadId")!);
    const size = [...upload.parts.values()].reduce((a, b) => a + b, 0);
    const stored = { size, etag: etag(), lastModified: new Date() };
    objects.set(key, stored);
    return xml(
      res,
      `<CompleteMultipartUploadResult><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><ETag>${esc(stored.etag)}</ETag></CompleteMultipartUploadResult>`,
    );
  } else if (method === "DELETE" && q.has("uploadId")) {
    uploads.delete(q.get("uploadId")!);
    return void res.writeHead(204).end();
  } else if (method === "PUT") {
    const stored = { size: body, etag: etag(), lastModified: new Date() };
    objects.set(key, stored);
    res.writeHead(200, { etag: stored.etag });
    return void res.end();
  } else if (method === "HEAD") {
    const o = objects.get(key);
    if (!o) return void res.writeHead(404).end();
    res.writeHead(200, {
      "content-length": o.size,
      etag: o.etag,
      "last-modified": o.lastModified.toUTCString(),
    });
    return void res.end();
  } else if (method === "DELETE") {
    objects.delete(key);
    return void res.writeHead(204).end();
  }
  xml(res, `<Error><Code>NotImplemented</Code><Message>${esc(`${method} ${req.url}`)}</Message></Error>`, 501);
}

function noSuchUpload(res: http.ServerResponse) {
  xml(res, "<Error><Code>NoSuchUpload</Code><Message>The upload does not exist</Message></Error>", 404);
}

server.listen(0, "127.0.0.1");
await once(server, "listening");
console.log(`S3 http://127.0.0.1:${(server.address() as AddressInfo).port}`);
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
