import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import type { Readable } from "node:stream";
import { getConfig } from "@/lib/config";
import { blockListOf } from "@/lib/auth/forwarding.mjs";

/** Address ranges a URL import may not reach unless BAZAAR_URL_ALLOW lists them (SSRF). */
const PRIVATE_V4 = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const;
// IPv4-mapped addresses (::ffff:a.b.c.d) need no entry: BlockList matches them against the
// IPv4 ranges above (and an entry for ::ffff:0:0/96 would match every IPv4 address). The
// IPv4-compatible (::/96) and NAT64 (64:ff9b::/96) prefixes embed an IPv4 address too.
const PRIVATE_V6 = [
  ["::", 96],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const;

/** A URL that cannot work however often it is tried (refused address, scheme, 4xx answer). */
export class UrlRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UrlRefusedError";
  }
}

/**
 * Throws UrlRefusedError when `address` may not be reached. A trusted address (the endpoint an
 * admin configured) skips the private-range rule, never BAZAAR_URL_DENY.
 */
export function checkAddress(address: string, opts: { trusted?: boolean } = {}): void {
  const { urlAllow, urlDeny } = getConfig();
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  if (blockListOf(urlDeny).check(address, family))
    throw new UrlRefusedError(`the address ${address} is denied by BAZAAR_URL_DENY`);
  if (opts.trusted || blockListOf(urlAllow).check(address, family)) return;
  const reserved = new BlockList();
  for (const [a, b] of PRIVATE_V4) reserved.addSubnet(a, b, "ipv4");
  for (const [a, b] of PRIVATE_V6) reserved.addSubnet(a, b, "ipv6");
  if (reserved.check(address, family)) {
    throw new UrlRefusedError(
      `the address ${address} is private, loopback or reserved; allow it with BAZAAR_URL_ALLOW`,
    );
  }
}

/** Resolves a URL's host and checks its address now, so that a user hears about a refusal at once. */
export async function checkUrlHost(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const address = isIP(host) ? host : (await lookup(host).catch(() => ({ address: "" }))).address;
  if (!address) throw new UrlRefusedError(`cannot resolve host ${host}`);
  checkAddress(address);
}

export function parseImportUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefusedError("not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UrlRefusedError("only http and https URLs can be imported");
  if (url.username || url.password) throw new UrlRefusedError("URLs with credentials are not accepted");
  return url;
}

export interface UrlResponse {
  body: Readable;
  /** Content-Length when the server gave one */
  length: number | null;
  finalUrl: string;
}

export interface OpenUrlOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  userAgent?: string;
  /** bytes start..end (inclusive): the answer must be 206 with exactly them */
  range?: { start: number; end: number };
  /**
   * an origin (`https://host:port`) an admin configured, such as a public catalog's endpoint:
   * hops to it are not held to the address policy (a company mirror on a private network);
   * every other hop, redirects from it included, is
   */
  trustedOrigin?: string;
}

/**
 * GETs a URL for streaming. Every hop (redirects included, at most 5) is checked against the
 * address policy, and the connection goes to the address that was checked (no DNS rebinding).
 */
export async function openUrl(raw: string, opts: OpenUrlOptions = {}): Promise<UrlResponse> {
  let url = parseImportUrl(raw);
  for (let hop = 0; hop <= 5; hop++) {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const resolved = isIP(host)
      ? { address: host, family: isIP(host) }
      : await lookup(host).catch(() => {
          throw new UrlRefusedError(`cannot resolve host ${host}`);
        });
    checkAddress(resolved.address, { trusted: url.origin === opts.trustedOrigin });
    const res = await get(url, resolved, opts);
    const status = res.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
      res.resume();
      url = parseImportUrl(new URL(res.headers.location, url).toString());
      continue;
    }
    if (opts.range && status === 200) {
      res.resume();
      throw new Error(`${url} ignored the byte range it was asked for`);
    }
    if (opts.range && status === 206 && !coversRange(res.headers["content-range"], opts.range)) {
      res.resume();
      throw new Error(
        `${url} answered the bytes ${res.headers["content-range"] ?? "(no Content-Range)"} for ${opts.range.start}-${opts.range.end}`,
      );
    }
    if (status < 200 || status >= 300) {
      res.resume();
      // a 4xx will not change by asking again (but a timeout or "too many requests" may); a 5xx might
      const message = `the server answered HTTP ${status} for ${url}`;
      const final = status >= 400 && status < 500 && status !== 408 && status !== 429;
      throw final ? new UrlRefusedError(message) : new Error(message);
    }
    const len = Number(res.headers["content-length"]);
    return { body: res, length: Number.isFinite(len) && len >= 0 ? len : null, finalUrl: url.toString() };
  }
  throw new Error("too many redirects");
}

/** A 206's `Content-Range: bytes <start>-<end>/<total|*>` is exactly the range asked. */
function coversRange(header: string | undefined, range: { start: number; end: number }): boolean {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? "");
  return !!m && Number(m[1]) === range.start && Number(m[2]) === range.end;
}

function get(url: URL, to: { address: string; family: number }, opts: OpenUrlOptions) {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const mod = url.protocol === "https:" ? https : http;
    const req = mod.get(url, {
      signal: opts.signal,
      timeout: opts.timeoutMs ?? 30_000,
      // larger socket reads: fewer, bigger chunks through the pipeline (see lib/transfer)
      ...{ highWaterMark: 1024 * 1024 }, // an http option since Node 20; missing from @types/node 20
      headers: {
        "user-agent": opts.userAgent ?? "Bazaar image importer",
        "accept-encoding": "identity",
        ...(opts.range && { range: `bytes=${opts.range.start}-${opts.range.end}` }),
      },
      // connect to the vetted address whatever the name resolves to now
      lookup: (_host, options, cb) => {
        if ((options as { all?: boolean }).all)
          (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [to]);
        else cb(null, to.address, to.family);
      },
    });
    req.on("response", resolve);
    req.on("timeout", () =>
      req.destroy(new Error(`no answer from ${url.host} within ${(opts.timeoutMs ?? 30_000) / 1000}s`)),
    );
    req.on("error", (err) => reject(new Error(`cannot download ${url}: ${err.message}`)));
  });
}
