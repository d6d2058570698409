import { createHash } from "node:crypto";
import net from "node:net";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { BASE_URL, type ApiClient, type Json } from "../helpers/api";
import { loadRoute, resolveRoute, type HttpMethod } from "../helpers/routes";
import { S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY } from "./s3";
import { waitFor } from "./images";

/** Helpers shared by the marketplace and app integration tests. */

export const MiB = 1024 * 1024;

export const digests = (b: Buffer) => ({
  md5: createHash("md5").update(b).digest("hex"),
  sha256: createHash("sha256").update(b).digest("hex"),
});

/**
 * A route handler's raw Response, for binary bodies the test client would decode as text
 * (downloads). Authenticated with the client's session cookie.
 */
export async function rawRequest(
  client: ApiClient,
  path: string,
  opts: { method?: HttpMethod; headers?: Record<string, string> } = {},
): Promise<Response> {
  const method = opts.method ?? "GET";
  const url = new URL(path, BASE_URL);
  const resolved = resolveRoute(url.pathname);
  if (!resolved) throw new Error(`No route file serves ${url.pathname}`);
  const handler = (await loadRoute(resolved.route))[method];
  if (!handler) throw new Error(`${resolved.route.pattern} exports no ${method} handler`);
  const headers = new Headers(opts.headers);
  if (client.sessionCookie) headers.set("cookie", `bazaar_session=${client.sessionCookie}`);
  return handler(new Request(url, { method, headers }), { params: Promise.resolve(resolved.params) });
}

/**
 * What the portal answers at an http marketplace's public URL (app/market/[id]/[key]): the
 * route handler called in-process, as Next.js would call it for `GET <source>`.
 */
export async function fetchMarketFile(
  source: string,
  opts: { method?: "GET" | "HEAD"; headers?: Record<string, string> } = {},
): Promise<Response> {
  const m = /\/market\/([^/]+)\/([^/]+)$/.exec(new URL(source).pathname);
  if (!m) throw new Error(`${source} is not a portal-served marketplace URL`);
  const route = await import("@/app/market/[id]/[key]/route");
  const method = opts.method ?? "GET";
  const req = new Request(new URL(new URL(source).pathname, BASE_URL), { method, headers: opts.headers });
  return route[method](req, { params: Promise.resolve({ id: m[1], key: m[2] }) });
}

/** An S3 client for s3rver, to look at what the marketplace stored. */
export function s3Client(endpoint: string): S3Client {
  return new S3Client({
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_ACCESS_KEY_ID, secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
  });
}

export async function readS3Object(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

export async function s3Keys(client: S3Client, bucket: string): Promise<string[]> {
  const res = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits until an app has left INIT/LOCKED and its job has ended; returns its DTO. */
export async function settleApp(client: ApiClient, id: number, timeoutMs = 60_000): Promise<Json> {
  return waitFor(
    `app ${id} to settle`,
    async () => {
      const res = await client.get(`/api/v1/apps/${id}`);
      expect(res.status, res.text).toBe(200);
      const app = res.json;
      const done = !["INIT", "LOCKED"].includes(app.state) && !["QUEUED", "RUNNING"].includes(app.job?.state);
      return done ? (app as Json) : null;
    },
    timeoutMs,
  );
}

/** Publishes an image and waits for the app to be READY. */
export async function publishReady(client: ApiClient, body: Record<string, unknown>): Promise<Json> {
  const res = await client.post("/api/v1/apps", body);
  expect(res.status, res.text).toBe(201);
  expect(res.json.state).toBe("LOCKED");
  const app = await settleApp(client, res.json.id);
  expect(app.state, app.error).toBe("READY");
  return app;
}

/** Imports an image from a URL and waits for it to be READY. */
export async function urlImage(
  client: ApiClient,
  body: { url: string; name: string; datastoreId: number; type?: string },
): Promise<Json> {
  const res = await client.post("/api/v1/images", { source: "url", type: "OS", ...body });
  expect(res.status, res.text).toBe(201);
  return waitFor(`image ${body.name} to be READY`, async () => {
    const img = (await client.get(`/api/v1/images/${res.json.id}`)).json;
    if (img.state === "ERROR") throw new Error(`image ${body.name} failed: ${img.error}`);
    return img.state === "READY" ? (img as Json) : null;
  });
}

/** Waits until a job has ended (SUCCEEDED, FAILED or CANCELLED); returns its DTO. */
export async function settleJob(client: ApiClient, id: number, timeoutMs = 60_000): Promise<Json> {
  return waitFor(
    `job ${id} to end`,
    async () => {
      const res = await client.get(`/api/v1/jobs/${id}`);
      expect(res.status, res.text).toBe(200);
      return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(res.json.state) ? (res.json as Json) : null;
    },
    timeoutMs,
  );
}

/** Creates a VM template from OpenNebula template text through the API. */
export async function createVmTemplate(client: ApiClient, name: string, template: string): Promise<Json> {
  const res = await client.post("/api/v1/vm-templates", { name, template });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** Creates a service template (the OneFlow document) through the API. */
export async function createServiceTemplate(client: ApiClient, body: Record<string, unknown>): Promise<Json> {
  const res = await client.post("/api/v1/service-templates", body);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** The one VM template (or service template) of a user with this exact name, through the API; null when none. */
export async function templateNamed(
  client: ApiClient,
  kind: "vm-templates" | "service-templates",
  name: string,
): Promise<Json | null> {
  const res = await client.get(`/api/v1/${kind}?q=${encodeURIComponent(name)}&perPage=100`);
  expect(res.status, res.text).toBe(200);
  const found = res.json.items.filter((t: { name: string }) => t.name === name);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0] ?? null;
}
