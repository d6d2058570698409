import type { ErrorCode, InvalidParam } from "@/lib/errors";
import { describeSystemErrors } from "@/lib/system-errors";

/** RFC 9457 problem details, with `invalid_params` for field errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  code: string;
  invalid_params?: InvalidParam[];
}

export const STATUS_BY_CODE: Record<ErrorCode | "MALFORMED" | "INTERNAL", number> = {
  MALFORMED: 400,
  INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  WRONG_STATE: 409,
  WRONG_ZONE: 409,
  NO_SPACE: 507,
  QUOTA_EXCEEDED: 403,
  BACKEND_FAILED: 502,
  TOO_MANY_REQUESTS: 429,
  TOO_LARGE: 413,
  INTERNAL: 500,
};

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Not signed in",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  410: "Gone",
  412: "Precondition failed",
  413: "Content too large",
  415: "Unsupported media type",
  416: "Range not satisfiable",
  422: "Invalid input",
  429: "Too many requests",
  500: "Internal server error",
  502: "Bad gateway",
  507: "Insufficient storage",
};

export function problemResponse(
  code: keyof typeof STATUS_BY_CODE,
  detail: string,
  extra: { requestId?: string; instance?: string; invalidParams?: InvalidParam[]; headers?: HeadersInit } = {},
): Response {
  const status = STATUS_BY_CODE[code];
  const body: Problem = {
    type: `https://bazaar.invalid/problems/${code.toLowerCase().replace(/_/g, "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    // the system's own words (ENOENT, ECONNREFUSED) told as sentences, as on objects' pages
    detail: describeSystemErrors(detail),
    code,
    instance: extra.instance,
    request_id: extra.requestId,
    ...(extra.invalidParams?.length ? { invalid_params: extra.invalidParams } : {}),
  };
  const headers = new Headers(extra.headers);
  headers.set("content-type", "application/problem+json");
  if (extra.requestId) headers.set("x-request-id", extra.requestId);
  return new Response(JSON.stringify(body), { status, headers });
}
