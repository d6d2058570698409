// What the HTTP server (scripts/server.mjs) does with a request before Next.js sees it.
// Types: request-listener.d.mts.
import { randomUUID } from "node:crypto";
import { forwardedHeaders } from "../lib/auth/forwarding.mjs";
import { serveDirectBodies } from "../lib/api/direct-body.mjs";
import { restoreContentLength } from "../lib/api/response-length.mjs";
import { collapseCatalogSlashes } from "./catalog-paths.mjs";

/** The methods a route handler can export; Next.js answers any other with a 500 and a stack trace. */
export const SUPPORTED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/**
 * The server's request listener: the forwarding headers are reduced to what the socket's peer
 * may vouch for (lib/auth/forwarding.mjs), a method no route supports is answered 405 in the
 * API's problem+json shape (lib/api/problem.ts), and the rest goes to `handle`, with the
 * length of a download put back (lib/api/response-length.mjs) and its registered body piped
 * straight into the socket (lib/api/direct-body.mjs).
 */
export function createRequestListener(handle, isTrustedProxy) {
  return (req, res) => {
    req.headers = forwardedHeaders(req.headers, req.socket.remoteAddress, isTrustedProxy);
    restoreContentLength(res);
    // before Next.js wraps write/end (its compression), so that its calls reach these wrappers
    serveDirectBodies(res);
    // OpenNebula asks `<ENDPOINT>/appliance`, so an ENDPOINT ending in "/" asks "//appliance":
    // answered as it is, since Next.js would redirect it and OpenNebula follows no redirect
    req.url = collapseCatalogSlashes(req.url);
    if (!SUPPORTED_METHODS.includes(req.method)) {
      methodNotAllowed(req, res);
      return;
    }
    Promise.resolve(handle(req, res)).catch((err) => {
      // a catalog's read token may be in its path: never in a log
      const url = String(req.url).replace(/\/t\/[^/?]+/, "/t/***");
      console.error(`[bazaar] failed to handle ${req.method} ${url}:`, err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
}

function methodNotAllowed(req, res) {
  const given = req.headers["x-request-id"];
  const requestId = typeof given === "string" && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
  const allowed = SUPPORTED_METHODS.join(", ");
  const body = JSON.stringify({
    type: "https://bazaar.invalid/problems/method-not-allowed",
    title: "Method not allowed",
    status: 405,
    detail: `The method ${req.method} is not supported; use one of ${allowed}`,
    code: "METHOD_NOT_ALLOWED",
    instance: (req.url ?? "/").split("?")[0],
    request_id: requestId,
  });
  res.writeHead(405, {
    allow: allowed,
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    "x-request-id": requestId,
  });
  res.end(body);
}
