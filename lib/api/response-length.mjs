// Next.js drops Content-Length from every route handler's answer (it may have re-encoded the
// body), so a download would go out chunked, and clients that need the size first (qemu-img
// over http, download managers, progress bars) cannot read it. lib/api/serve-bytes.ts states
// the length in LENGTH_HEADER as well; the server (scripts/request-listener.mjs) turns it back
// into Content-Length as the answer starts. Plain JavaScript: the server script has no build.

/** The header a route handler states its body's length in. */
export const LENGTH_HEADER = "x-bazaar-content-length";

/**
 * Makes `res` send LENGTH_HEADER as Content-Length when its head goes out (never beside a
 * Content-Encoding, which would change the length) and never the private header itself.
 */
export function restoreContentLength(res) {
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    const length = res.getHeader(LENGTH_HEADER);
    if (length !== undefined) {
      res.removeHeader(LENGTH_HEADER);
      if (/^\d+$/.test(String(length)) && !res.hasHeader("content-encoding"))
        res.setHeader("content-length", String(length));
    }
    return writeHead.apply(this, args);
  };
}
