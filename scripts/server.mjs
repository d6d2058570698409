// The production server (`npm run serve`; `npm start` builds first), in place of `next start`,
// which passes a client's own X-Forwarded-For through to the app: here every request is given
// headers that BAZAAR_TRUSTED_PROXIES vouches for (scripts/request-listener.mjs) before Next.js
// sees it. The server script stays plain JavaScript so that it needs no build of its own.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { enableDirectBodies } from "../lib/api/direct-body.mjs";
import { addressMatcher, parseCidrList, TRUSTED_PROXIES_VARIABLE } from "../lib/auth/forwarding.mjs";
import { createRequestListener } from "./request-listener.mjs";

/** How long a stop waits for requests in flight (downloads may stream for long) before cutting them off. */
const GRACE_MS = 10_000;

process.env.NODE_ENV ||= "production";
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error("Invalid configuration:\n  PORT: must be a port number from 1 to 65535");
  process.exit(1);
}

const app = next({ dev: false, dir, port });
// downloads are piped from their files into the socket by this server (lib/api/direct-body.mjs)
enableDirectBodies();
await app.prepare();

// Read after prepare(), which loads the .env files, so that a value from one counts here as it
// does in the app; and with the parser lib/config.ts validates it with, so that the server
// never serves with another reading of it than the app's (which stops the process on a bad
// value too, but only once the portal boots, after the server listens).
let trustedProxies;
try {
  trustedProxies = parseCidrList(process.env[TRUSTED_PROXIES_VARIABLE]);
} catch (err) {
  console.error(`Invalid configuration:\n  ${TRUSTED_PROXIES_VARIABLE}: ${err.message}`);
  process.exit(1);
}

const server = http.createServer(createRequestListener(app.getRequestHandler(), addressMatcher(trustedProxies)));
server.on("error", (err) => {
  console.error(`[bazaar] cannot listen on port ${port}:`, err.message);
  process.exit(1);
});
server.listen(port, () => {
  const proxies = trustedProxies.length ? `; trusted proxies ${trustedProxies.join(", ")}` : "";
  console.log(`[bazaar] listening on http://localhost:${port}${proxies}`);
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  setTimeout(() => server.closeAllConnections(), GRACE_MS).unref();
  // Stop accepting, let requests in flight finish, then let Next.js clean up.
  server.close(async () => {
    await app.close().catch((err) => console.error(err));
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
