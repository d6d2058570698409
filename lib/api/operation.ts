import type { z } from "zod";

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
