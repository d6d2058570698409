/**
 * The one error vocabulary of the domain. Services throw AppError; only the API wrapper
 * (lib/api/problem.ts) maps codes to HTTP statuses.
 */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INVALID"
  | "WRONG_STATE"
  | "WRONG_ZONE"
  | "NO_SPACE"
  /** a user's or group's quota would be exceeded */
  | "QUOTA_EXCEEDED"
  /** a backend (marketplace, datastore) refused or failed: the portal's request was fine */
  | "BACKEND_FAILED"
  | "TOO_MANY_REQUESTS"
  /** a request body over the operation's limit */
  | "TOO_LARGE";

export interface InvalidParam {
  name: string;
  reason: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly invalidParams: InvalidParam[];
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: { invalidParams?: InvalidParam[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.invalidParams = options.invalidParams ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
export const invalid = (name: string, reason: string) =>
  new AppError("INVALID", reason, { invalidParams: [{ name, reason }] });
export const conflict = (name: string, reason: string) =>
  new AppError("CONFLICT", reason, { invalidParams: [{ name, reason }] });

/** Prisma's unique-constraint violation (P2002), without importing a provider's client. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}
