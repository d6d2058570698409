// Who is the client? Shared by the HTTP server (scripts/server.mjs), which is plain Node and
// cannot load TypeScript, and by the app (lib/config.ts, lib/api/with-api.ts), so that both
// read BAZAAR_TRUSTED_PROXIES the same way. Types: forwarding.d.mts.
import { BlockList, isIP } from "node:net";

export const TRUSTED_PROXIES_VARIABLE = "BAZAAR_TRUSTED_PROXIES";
export const INVALID_CIDR_MESSAGE = "must be comma-separated CIDR blocks, e.g. 10.0.0.0/8,fd00::/8";

/**
 * Headers a client could send to pass itself off as someone else, or to change what the portal
 * believes its own origin is. Only a trusted proxy may set them.
 */
export const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-real-ip",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "forwarded",
];

/** "10.0.0.0/8" or "fd00::/8" with a prefix length the address family allows. */
export function isValidCidr(cidr) {
  const match = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(cidr);
  if (!match) return false;
  const family = isIP(match[1]);
  const bits = Number(match[2]);
  return (family === 4 && bits <= 32) || (family === 6 && bits <= 128);
}

/** The CIDR blocks of a comma-separated list; throws when one is not valid. */
export function parseCidrList(value) {
  const cidrs = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = cidrs.filter((c) => !isValidCidr(c));
  if (bad.length) throw new Error(`${INVALID_CIDR_MESSAGE} (not valid: ${bad.join(", ")})`);
  return cidrs;
}

/**
 * The address as the portal keys it: without brackets, port or zone id, and an IPv4 address
 * that a dual-stack socket reports as ::ffff:a.b.c.d as plain a.b.c.d, so that one client is
 * one address however it connected. Null when it is not an IP address.
 */
export function normalizeAddress(raw) {
  let value = String(raw ?? "").trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  value = value.replace(/%.*$/, "");
  const family = isIP(value);
  if (family === 4) return value;
  if (family !== 6) return null;
  // the URL parser writes IPv6 in one canonical form, so that one address is one key
  const canonical = new URL(`http://[${value}]`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** A node:net BlockList of CIDR blocks (IPv4-mapped IPv6 addresses match the IPv4 blocks). */
export function blockListOf(cidrs) {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split("/");
    list.addSubnet(address, Number(bits), isIP(address) === 6 ? "ipv6" : "ipv4");
  }
  return list;
}

const matchers = new WeakMap();

/** A test "is this address in one of these CIDR blocks?", built once per list. */
export function addressMatcher(cidrs) {
  let matcher = matchers.get(cidrs);
  if (matcher) return matcher;
  const list = blockListOf(cidrs);
  matcher = cidrs.length
    ? (raw) => {
        const address = normalizeAddress(raw);
        return address !== null && list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
      }
    : () => false;
  matchers.set(cidrs, matcher);
  return matcher;
}

/**
 * The request headers the app may believe, given the peer the socket is connected to. From an
 * untrusted peer every forwarding header is dropped and X-Forwarded-For becomes the peer
 * itself; a trusted proxy's headers stay, with the peer appended to X-Forwarded-For. Either
 * way the last X-Forwarded-For entry is the socket's own peer, which clientAddress() relies on.
 */
export function forwardedHeaders(headers, peer, isTrusted) {
  const out = { ...headers };
  if (peer && isTrusted(peer)) {
    const given = [out["x-forwarded-for"]].flat().filter(Boolean).join(", ");
    out["x-forwarded-for"] = given ? `${given}, ${peer}` : peer;
    return out;
  }
  for (const name of FORWARDING_HEADERS) delete out[name];
  if (peer) out["x-forwarded-for"] = peer;
  return out;
}

/**
 * The client's address from an X-Forwarded-For that forwardedHeaders() produced: walking from
 * the right (the socket's peer), every trusted proxy is skipped; the first address that is not
 * a trusted proxy is the client. Entries further left were written by someone we do not trust.
 * Null when there is no address.
 */
export function clientAddress(forwardedFor, isTrusted) {
  const hops = String(forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const address = normalizeAddress(hops[i]);
    if (address === null) return null;
    if (i === 0 || !isTrusted(address)) return address;
  }
  return null;
}
