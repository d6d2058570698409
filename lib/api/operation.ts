import type { z } from "zod";

/** Statuses an operation may declare beyond those its shape implies (see `statuses`). */
export type ExtraStatus = 206 | 304 | 307 | 400 | 401 | 404 | 409 | 410 | 412 | 413 | 415 | 416 | 429 | 502 | 507;

/**
 * An API operation: method, path and the zod schemas of its input and output. Route files
 * wrap a handler around one operation (lib/api/with-api.ts) and the OpenAPI document is
 * generated from the same objects (lib/api/openapi.ts), so the two cannot drift apart.
 */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
export type AuthMode = "public" | "user" | "admin";

export interface Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  id: string;
  method: HttpMethod;
  /** OpenAPI-style path, e.g. /api/v1/users/{id} */
  path: string;
  summary: string;
  tag: string;
  auth: AuthMode;
  params?: P;
  query?: Q;
  body?: B;
  /** public DTO schema; every response body is parsed through it */
  response?: R;
  /** success status (200 unless set) */
  status?: number;
  /** the most a JSON body may hold (lib/api/with-api.ts DEFAULT_MAX_BODY_BYTES unless set) */
  maxBodyBytes?: number;
  /**
   * statuses this operation answers beyond those its shape implies, for the OpenAPI document
   * (lib/api/openapi.ts): 400 with any input, 413 with a body, 401 and 403 unless public, 404
   * with path parameters or a body (which may name other objects), 409 for a write that is not
   * public
   */
  statuses?: readonly ExtraStatus[];
}

const registry: Operation[] = [];

export function defineOperation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
>(op: Operation<P, Q, B, R>): Operation<P, Q, B, R> {
  registry.push(op as unknown as Operation);
  return op;
}

export function registeredOperations(): readonly Operation[] {
  return registry;
}
