import { getConfig } from "@/lib/config";
import { addressMatcher, clientAddress } from "@/lib/auth/forwarding.mjs";

/*
 * The HTTP server (scripts/server.mjs) rewrites X-Forwarded-For so that its last entry is the
 * socket's peer, and drops the other forwarding headers unless that peer is a trusted proxy
 * (lib/auth/forwarding.mjs). These read the request on that understanding.
 */

const isTrustedProxy = () => addressMatcher(getConfig().trustedProxies);

/** The client's address; null when unknown, e.g. a handler called in-process. */
export function clientAddressOf(req: Request): string | null {
  return clientAddress(req.headers.get("x-forwarded-for"), isTrustedProxy());
}

/**
 * The first value of a forwarding header such as X-Forwarded-Proto, when the request came
 * through a trusted proxy; null otherwise, whoever set it.
 */
export function forwardedByTrustedProxy(req: Request, name: string): string | null {
  const hops = (req.headers.get("x-forwarded-for") ?? "").split(",");
  const peer = hops[hops.length - 1].trim();
  if (!peer || !isTrustedProxy()(peer)) return null;
  return req.headers.get(name)?.split(",")[0].trim() || null;
}
