import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Ctx } from "@/lib/auth/context";
import { loadCtxUser } from "@/lib/auth/load-user";
import { resolveApiToken } from "@/lib/auth/api-tokens";
import { readCookie, resolveSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { forwardedByTrustedProxy } from "@/lib/auth/client-address";
import { localZone } from "@/lib/zones/local-zone";
import type { Operation } from "./operation";
import { problemResponse } from "./problem";
import { invalidInput } from "./readable-issues";
import { findNul } from "./find-nul";

type Infer<T> = NonNullable<T> extends z.ZodType ? z.output<NonNullable<T>> : undefined;

export interface HandlerArgs<O extends Operation> {
  ctx: O["auth"] extends "public" ? Ctx | null : Ctx;
  params: Infer<O["params"]>;
  query: Infer<O["query"]>;
  body: Infer<O["body"]>;
  req: Request;
  requestId: string;
}

/** Data for the response DTO (checked at runtime by op.response; Dates become ISO strings), or a Response. */
type HandlerResult = unknown;

type RouteContext = { params: Promise<Record<string, string | string[]>> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The one wrapper around every route handler: request id, authentication (session cookie or
 * bearer token), CSRF origin check for cookie-authenticated writes, zod parsing of params,
 * query and body, the response parsed through the public DTO, and errors as problem+json.
 */
export function withApi<O extends Operation>(op: O, handler: (args: HandlerArgs<O>) => Promise<HandlerResult>) {
  return async function route(req: Request, routeCtx?: RouteContext): Promise<Response> {
    const requestId = requestIdOf(req);
    const instance = new URL(req.url).pathname;
    const started = Date.now();
    let response: Response;
    try {
      const auth = await authenticate(req, op, requestId);
      const params = parseInput("path", op.params, routeCtx ? await routeCtx.params : {});
      const query = parseInput("query", op.query, queryObject(new URL(req.url).searchParams));
      const body = op.body
        ? parseInput("body", op.body, await readJson(req, op.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES))
        : undefined;
      const result = await handler({ ctx: auth as never, params, query, body, req, requestId } as HandlerArgs<O>);
      response = result instanceof Response ? result : jsonResponse(op, result, requestId);
    } catch (err) {
      response = errorResponse(err, requestId, instance);
    }
    response.headers.set("x-request-id", requestId);
    response.headers.set("cache-control", response.headers.get("cache-control") ?? "no-store");
    if (getConfig().logRequests) {
      console.log(`${req.method} ${instance} ${response.status} ${Date.now() - started}ms rid=${requestId}`);
    }
    return response;
  };
}

export function jsonResponse(op: Operation, data: unknown, requestId: string, init: ResponseInit = {}): Response {
  const status = init.status ?? op.status ?? 200;
  if (status === 204) return new Response(null, { ...init, status });
  // Dates become ISO strings first; then only what the public DTO declares goes out.
  const plain = data === undefined ? null : JSON.parse(JSON.stringify(data));
  const body = op.response ? op.response.parse(plain) : plain;
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("x-request-id", requestId);
  return new Response(JSON.stringify(body), { ...init, status, headers });
}

export function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

/** What an operation reads of a request body unless it says otherwise (Operation.maxBodyBytes). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (limit: number) =>
  new AppError("TOO_LARGE", `The request body is larger than this operation accepts (${limit} bytes)`, {
    invalidParams: [{ name: "body", reason: `must be at most ${limit} bytes` }],
  });

/**
 * The body as text, refusing more than `limit` bytes before they are held: a declared
 * Content-Length over the limit is refused unread, and a streamed body is cut off at the limit.
 */
async function readBodyText(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("INVALID", "The request body is not valid UTF-8", {
      invalidParams: [{ name: "body", reason: "is not valid UTF-8" }],
    });
  }
}

async function readJson(req: Request, limit: number): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  const text = await readBodyText(req, limit);
  if (text.trim() === "") return {};
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new AppError("INVALID", "The request body must be JSON (Content-Type: application/json)", {
      invalidParams: [{ name: "body", reason: "must be application/json" }],
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID", "The request body is not valid JSON", {
      invalidParams: [{ name: "body", reason: "is not valid JSON" }],
    });
  }
}

function parseInput<T extends z.ZodType | undefined>(where: string, schema: T, value: unknown): Infer<T> {
  if (!schema) return undefined as Infer<T>;
  const nulAt = findNul(value);
  if (nulAt)
    throw invalidInput([{ code: "custom", path: nulAt, message: "must not contain NUL characters" }], [], where);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as Infer<T>;
  throw invalidInput(parsed.error.issues, [], where);
}

export async function authenticate(req: Request, op: Pick<Operation, "auth">, requestId: string): Promise<Ctx | null> {
  const client = db();
  let userId: number | null = null;
  let via: Ctx["via"] = "session";
  let sessionId: string | undefined;

  const authorization = req.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    userId = match ? await resolveApiToken(client, match[1]) : null;
    if (userId === null) throw new AppError("UNAUTHENTICATED", "The API token is invalid, expired or revoked");
    via = "token";
  } else {
    const cookie = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
    const session = cookie ? await resolveSession(client, cookie) : null;
    if (session) {
      userId = session.userId;
      sessionId = session.id;
    }
    // Cookies ride along on cross-site requests; writes must come from our own pages. A request
    // without a live session carries no authority to abuse: it gets 401 (or the public handler).
    if (session && !SAFE_METHODS.has(req.method)) assertSameOrigin(req);
  }

  if (userId === null) {
    if (op.auth === "public") return null;
    throw new AppError("UNAUTHENTICATED", "Sign in or send an API token (Authorization: Bearer …)");
  }
  const user = await loadCtxUser(client, userId);
  if (!user) {
    if (op.auth === "public") return null;
    throw new AppError("UNAUTHENTICATED", "The account is disabled or no longer exists");
  }
  if (op.auth === "admin" && !user.isAdmin) {
    throw new AppError("FORBIDDEN", "Only members of the admins group may do this");
  }
  return { user, zone: await localZone(), requestId, via, sessionId };
}

export function assertSameOrigin(req: Request): void {
  const origin = req.headers.get("origin");
  const allowed = allowedOrigins(req);
  if (origin) {
    if (!allowed.has(origin)) throw new AppError("FORBIDDEN", `Cross-site request refused (Origin ${origin})`);
    return;
  }
  const site = req.headers.get("sec-fetch-site");
  if (site === "same-origin" || site === "none") return;
  throw new AppError("FORBIDDEN", "Cross-site request refused: no Origin header on a cookie-authenticated write");
}

function allowedOrigins(req: Request): Set<string> {
  const set = new Set<string>();
  const { publicUrl } = getConfig();
  if (publicUrl) set.add(new URL(publicUrl).origin);
  const host = forwardedByTrustedProxy(req, "x-forwarded-host") ?? req.headers.get("host");
  if (host) {
    const proto = forwardedByTrustedProxy(req, "x-forwarded-proto") ?? new URL(req.url).protocol.replace(":", "");
    set.add(`${proto}://${host}`);
  }
  set.add(new URL(req.url).origin);
  return set;
}

/** Is the client talking to us over https (directly or behind a trusted proxy)? */
export function isSecureRequest(req: Request): boolean {
  const { publicUrl } = getConfig();
  if (publicUrl) return publicUrl.startsWith("https:");
  return (forwardedByTrustedProxy(req, "x-forwarded-proto") ?? new URL(req.url).protocol.replace(":", "")) === "https";
}

export function errorResponse(err: unknown, requestId: string, instance: string): Response {
  if (err instanceof AppError) {
    const headers: HeadersInit = err.retryAfterSeconds ? { "retry-after": String(err.retryAfterSeconds) } : {};
    return problemResponse(err.code, err.message, { requestId, instance, invalidParams: err.invalidParams, headers });
  }
  console.error(`[${requestId}] unhandled error on ${instance}:`, err);
  return problemResponse("INTERNAL", `Something went wrong on the server (request id ${requestId})`, {
    requestId,
    instance,
  });
}
