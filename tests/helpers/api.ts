import { expect } from "vitest";
import { getConfig } from "@/lib/config";
import { addressMatcher, forwardedHeaders } from "@/lib/auth/forwarding.mjs";
import { loadRoute, resolveRoute, type HttpMethod } from "./routes";
import { ADMIN_PASSWORD, ADMIN_USERNAME } from "./fixtures";

/**
 * A small HTTP-like client that calls the route handlers in-process: it finds the route file
 * for a path (tests/helpers/routes.ts), passes params as Next.js does, keeps the session cookie,
 * sends the same-origin `Origin` header on writes (like a browser), and records every exchange
 * so that a test can scan all responses for leaked secrets (tests/helpers/secrets.ts).
 */
export const BASE_URL = "http://localhost";
export const ORIGIN = BASE_URL;

// Response bodies are whatever the API answered; tests assert their shape field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** parsed body; null when empty or not JSON */
  json: Json;
  text: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** the Origin header on writes: default same-origin, null to send none */
  origin?: string | null;
  /** a raw request body instead of JSON (with `contentType`) */
  raw?: string;
  contentType?: string;
}

export interface Exchange {
  method: string;
  path: string;
  requestBody: unknown;
  status: number;
  responseText: string;
  setCookies: string[];
}

const exchanges: Exchange[] = [];

/** Every request this test file made, in order. */
export function recordedExchanges(): readonly Exchange[] {
  return exchanges;
}

const SESSION_COOKIE = "bazaar_session";

export class ApiClient {
  private cookie: string | undefined;

  /**
   * `ip` is the address the request comes from, as the socket would report it: the headers
   * are then passed through the HTTP server's forwarding rules (lib/auth/forwarding.mjs), so a
   * forwarding header counts only if `ip` is in BAZAAR_TRUSTED_PROXIES. Without `ip` the
   * handler gets the headers as given, like any in-process call.
   */
  constructor(private readonly opts: { bearer?: string; cookie?: string; ip?: string } = {}) {
    this.cookie = opts.cookie;
  }

  /** The current session cookie value, if signed in. */
  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  get(path: string, options?: RequestOptions) {
    return this.request("GET", path, undefined, options);
  }
  post(path: string, body?: unknown, options?: RequestOptions) {
    return this.request("POST", path, body, options);
  }
  put(path: string, body?: unknown, options?: RequestOptions) {
    return this.request("PUT", path, body, options);
  }
  patch(path: string, body?: unknown, options?: RequestOptions) {
    return this.request("PATCH", path, body, options);
  }
  delete(path: string, options?: RequestOptions) {
    return this.request("DELETE", path, undefined, options);
  }

  async request(method: HttpMethod, path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = new URL(path, BASE_URL);
    const resolved = resolveRoute(url.pathname);
    if (!resolved) throw new Error(`No route file serves ${url.pathname}`);
    const handler = (await loadRoute(resolved.route))[method];
    if (typeof handler !== "function") throw new Error(`${resolved.route.pattern} exports no ${method} handler`);

    const given = this.opts.ip
      ? forwardedHeaders(lowerCased(options.headers), this.opts.ip, addressMatcher(getConfig().trustedProxies))
      : options.headers;
    const headers = new Headers(given as Record<string, string> | undefined);
    if (this.cookie) headers.set("cookie", `${SESSION_COOKIE}=${this.cookie}`);
    if (this.opts.bearer) headers.set("authorization", `Bearer ${this.opts.bearer}`);
    const origin = options.origin === undefined ? ORIGIN : options.origin;
    if (method !== "GET" && method !== "HEAD" && origin !== null) headers.set("origin", origin);
    let payload: string | undefined;
    if (options.raw !== undefined) {
      payload = options.raw;
      if (options.contentType) headers.set("content-type", options.contentType);
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers.set("content-type", "application/json");
    }

    const res = await handler(new Request(url, { method, headers, body: payload }), {
      params: Promise.resolve(resolved.params),
    });
    const text = await res.text();
    let json: Json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const m = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(c);
      if (!m) continue;
      this.cookie = m[1] && !/max-age=0\b/i.test(c) ? decodeURIComponent(m[1]) : undefined;
    }
    exchanges.push({
      method,
      path,
      requestBody: body ?? options.raw,
      status: res.status,
      responseText: text,
      setCookies,
    });
    return { status: res.status, headers: res.headers, json, text };
  }
}

const lowerCased = (headers: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** A client without credentials. */
export const anonymous = (opts: { ip?: string } = {}) => new ApiClient(opts);

/** A client that authenticates with an API token. */
export const withToken = (token: string) => new ApiClient({ bearer: token });

/** Signs in through POST /api/v1/session and returns a client holding the cookie. */
export async function signIn(username: string, password: string, opts: { ip?: string } = {}): Promise<ApiClient> {
  const client = new ApiClient(opts);
  const res = await client.post("/api/v1/session", { username, password });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${res.text}`);
  return client;
}

export const signInAdmin = () => signIn(ADMIN_USERNAME, ADMIN_PASSWORD);

/** A distinctive password per user, so a leak scan cannot match it by accident. */
export const passwordFor = (username: string) => `pw-${username}-Zq8!x`;

export interface UserFixture {
  id: number;
  username: string;
  password: string;
  primaryGroup: { id: number; name: string };
}

/** Creates a user through the API (as `admin`) and returns its id and password. */
export async function createUser(
  admin: ApiClient,
  username: string,
  extra: { groupIds?: number[]; primaryGroupId?: number; enabled?: boolean; displayName?: string; email?: string } = {},
): Promise<UserFixture> {
  const password = passwordFor(username);
  const res = await admin.post("/api/v1/users", { username, password, ...extra });
  expect(res.status, res.text).toBe(201);
  return { id: res.json.id, username, password, primaryGroup: res.json.primaryGroup };
}

/** Creates a group through the API (as `admin`) and returns its id. */
export async function createGroup(admin: ApiClient, name: string, extra: { createRights?: string[] } = {}) {
  const res = await admin.post("/api/v1/groups", { name, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.json.id as number;
}

/** The id of a group, looked up by exact name. */
export async function groupIdOf(admin: ApiClient, name: string): Promise<number> {
  const res = await admin.get(`/api/v1/groups?q=${encodeURIComponent(name)}&perPage=200`);
  expect(res.status, res.text).toBe(200);
  const group = res.json.items.find((g: { name: string }) => g.name === name);
  if (!group) throw new Error(`no group named ${name}`);
  return group.id;
}

/** Asserts an RFC 9457 problem response with this status (and, if given, these invalid fields). */
export function expectProblem(res: ApiResponse, status: number, invalidFields?: string[]) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.json).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), detail: expect.any(String) });
  if (invalidFields) {
    // one field may fail several rules; what matters is which fields are named
    const named = new Set<string>(res.json.invalid_params?.map((p: { name: string }) => p.name));
    expect([...named].sort()).toEqual([...invalidFields].sort());
  }
}
