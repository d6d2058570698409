/**
 * The browser's fetch wrapper: JSON in and out, problem+json errors turned into ApiError
 * with the field errors (`invalid_params`) ready for forms.
 */
export interface InvalidParam {
  name: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly code: string,
    public readonly invalidParams: InvalidParam[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Field errors keyed by field name, for form.setErrors(). */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries(this.invalidParams.map((p) => [p.name, p.reason]));
  }
}

type QueryValue = string | number | boolean | undefined | null | (string | number)[];

export function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)));
    else params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; query?: Record<string, QueryValue>; signal?: AbortSignal } = {},
): Promise<T> {
  const res = await fetch(`/api/v1${path}${init.query ? toQueryString(init.query) : ""}`, {
    method: init.method ?? "GET",
    headers: init.body !== undefined ? { "content-type": "application/json" } : undefined,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: init.signal,
    credentials: "same-origin",
  });
  if (res.status === 204) return undefined as T;
  const type = res.headers.get("content-type") ?? "";
  const data = type.includes("json") ? await res.json() : null;
  if (!res.ok) {
    if (res.status === 401 && typeof window !== "undefined" && !path.startsWith("/session")) {
      // a full page load on purpose: the session is gone, so no client state should survive
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.href = `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
    }
    throw new ApiError(
      res.status,
      data?.detail ?? `Request failed (${res.status})`,
      data?.code ?? "UNKNOWN",
      data?.invalid_params ?? [],
    );
  }
  return data as T;
}
