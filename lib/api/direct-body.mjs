// Download bodies that bypass web streams. A route handler's body goes out through a web
// ReadableStream that Next.js reads chunk by chunk into the Node response: for a file of
// gigabytes that costs about four times the CPU of sending the bytes from Node directly, and
// leaves tens of MiB of buffers to a garbage collector that runs late. When the production server runs (scripts/server.mjs calls enableDirectBodies),
// lib/api/serve-bytes.ts registers the opened Node stream here under a one-time token and
// answers a body-less Response carrying the token in DIRECT_BODY_HEADER; the server's request
// listener (scripts/request-listener.mjs, through serveDirectBodies) strips the header as the
// head goes out and sends the stream's bytes straight into the socket (a file's with pread,
// see pumpFile). Auth, Range, ETag and HEAD stay
// where they are: the route handler decides everything, only the bytes take the short way.
//
// The registry lives on globalThis: Next.js bundles its own copy of this module into the app,
// and the two copies must share it. Plain JavaScript: the server script has no build.
import { randomBytes } from "node:crypto";
import { read, ReadStream } from "node:fs";
import { ServerResponse } from "node:http";

/** The private header a route handler's answer names its registered body in. */
export const DIRECT_BODY_HEADER = "x-bazaar-direct-body";

/** How long a registered body waits to be taken before it is destroyed (its file closed). */
export const DIRECT_BODY_TTL_MS = 30_000;

/**
 * The size of each read of a file body (two such buffers per download, reused). fs streams read
 * 64 KiB at a time into a fresh buffer each: measured with 50 parallel downloads, 256 KiB reads
 * into reused buffers take a third of their CPU per byte, and 1 MiB reads little less than
 * 256 KiB ones but hold more memory (README, Benchmarks › Downloads).
 */
export const FILE_CHUNK = 256 * 1024;

/**
 * Read buffers are reused across downloads rather than left to the garbage collector: a
 * process that has just sent many downloads and then idles runs no collection, so buffers
 * dropped after each download would stay resident. At most POOL_LIMIT are kept (16 MiB).
 */
const POOL_LIMIT = 64;
const pool = [];
const takeBuffer = () => pool.pop() ?? Buffer.allocUnsafeSlow(FILE_CHUNK);
const giveBack = (buffer) => {
  if (pool.length < POOL_LIMIT) pool.push(buffer);
};

const REGISTRY = Symbol.for("bazaar.direct-bodies");

function registry() {
  return (globalThis[REGISTRY] ??= { enabled: false, bodies: new Map() });
}

/** Called by the production server: from now on downloads take the direct path (tests turn it off again). */
export function enableDirectBodies(on = true) {
  registry().enabled = on;
}

/** Whether a server that takes registered bodies runs this process (never under `next dev` or tests of route handlers). */
export function directBodiesEnabled() {
  return registry().enabled;
}

/** Bodies registered and not yet taken (for tests: none may be left behind). */
export function pendingDirectBodies() {
  return registry().bodies.size;
}

const ignore = () => {};

/**
 * Registers `stream` and returns its one-time token. A body nobody takes within `ttlMs` is
 * destroyed, so that an answer Next.js never sent leaves no open file behind.
 */
export function registerDirectBody(stream, ttlMs = DIRECT_BODY_TTL_MS) {
  const { bodies } = registry();
  const token = randomBytes(18).toString("base64url");
  // an error while nobody reads must not become an uncaught exception; takeDirectBody checks
  // `errored` instead
  stream.on("error", ignore);
  const timer = setTimeout(() => {
    if (bodies.get(token)?.stream !== stream) return;
    bodies.delete(token);
    stream.destroy();
  }, ttlMs);
  timer.unref();
  bodies.set(token, { stream, timer });
  return token;
}

/** The stream registered under `token`, once; undefined for a token unknown, taken or expired. */
export function takeDirectBody(token) {
  const { bodies } = registry();
  const entry = bodies.get(token);
  if (!entry) return undefined;
  bodies.delete(token);
  clearTimeout(entry.timer);
  entry.stream.off("error", ignore);
  return entry.stream;
}

/**
 * Makes `res` send a registered body itself: when its head goes out carrying
 * DIRECT_BODY_HEADER, the header is removed, the stream is piped into the socket with
 * backpressure, and what Next.js writes or ends afterwards (its empty body) is ignored until the
 * stream is done. A client that goes away destroys the stream (closing its file); a stream that
 * fails midway destroys the socket, so the client sees a cut transfer, never a clean end. A token
 * that is unknown (expired, or taken already) cannot be answered: the connection is dropped
 * rather than a head promising bytes that will not come.
 *
 * Install it before anything else wraps `res.write` and `res.end` (Next.js's compression does),
 * so that their calls reach these wrappers.
 */
export function serveDirectBodies(res) {
  const { writeHead, write, end } = res;
  /** null: an ordinary answer; "direct": a registered body streams; "dropped": nothing more goes out */
  let mode = null;

  res.writeHead = function (...args) {
    const token = res.getHeader(DIRECT_BODY_HEADER);
    if (token === undefined || mode !== null) return writeHead.apply(this, args);
    res.removeHeader(DIRECT_BODY_HEADER);
    const stream = takeDirectBody(String(token));
    if (!stream || stream.destroyed || stream.errored) {
      mode = "dropped";
      stream?.destroy();
      console.error(`[bazaar] a download's body was gone before its answer started: connection dropped`);
      res.destroy();
      return this;
    }
    mode = "direct";
    // (Next.js's compression never labels this head: it compresses no body-less answer)
    const result = writeHead.apply(this, args);
    pipeInto(stream, res, write, end);
    return result;
  };
  res.write = function (...args) {
    if (mode !== null) return true;
    return write.apply(this, args);
  };
  res.end = function (...args) {
    if (mode === null) return end.apply(this, args);
    const callback = args.find((a) => typeof a === "function");
    if (callback) process.nextTick(callback);
    return this;
  };
}

/**
 * `stream` into `res` through the response's own write and end (never the wrappers above): a
 * file's stream not yet read is read by pumpFile, any other stream is piped.
 */
function pipeInto(stream, res, write, end) {
  if (isUnreadFileStream(stream)) {
    pumpFile(stream, res, write, end);
    return;
  }
  let done = false;
  const finish = () => {
    done = true;
    stream.off("data", onData);
  };
  const onData = (chunk) => {
    if (!write.call(res, chunk)) stream.pause();
  };
  stream.on("data", onData);
  // the prototype's `on`: Next.js's compression middleware wraps res.on("drain")
  ServerResponse.prototype.on.call(res, "drain", () => {
    if (!done) stream.resume();
  });
  stream.once("end", () => {
    finish();
    end.call(res);
  });
  stream.once("error", (err) => {
    if (done) return;
    finish();
    // the head promised the whole length: cut the connection so the client sees a truncated
    // transfer rather than a clean end
    console.error(`[bazaar] a download failed midway: ${err.message}`);
    res.destroy();
  });
  // the client went away (or the stream ended): the file is closed either way
  ServerResponse.prototype.once.call(res, "close", () => {
    finish();
    stream.destroy();
  });
}

/** An fs.ReadStream on an open descriptor that has read nothing yet (what the fs drivers open). */
function isUnreadFileStream(stream) {
  return (
    stream instanceof ReadStream &&
    typeof stream.fd === "number" &&
    stream.bytesRead === 0 &&
    !stream.readableFlowing &&
    stream.readableLength === 0 &&
    Number.isSafeInteger(stream.pos ?? stream.start ?? 0)
  );
}

const pread = (fd, buffer, length, position) =>
  new Promise((resolve, reject) =>
    read(fd, buffer, 0, length, position, (err, bytesRead) => (err ? reject(err) : resolve(bytesRead))),
  );

/**
 * The range of a file's ReadStream (its `start`/`pos` to its `end`, or to the end of the file)
 * into `res`, read with pread into two buffers of FILE_CHUNK that take turns: one is read while
 * the other is written, and a buffer is read into again only once the socket has taken it all
 * (backpressure, and a download's memory stays at two buffers). The stream itself reads nothing;
 * destroying it at the end closes its file, and only once no read is in flight, so that a read
 * never meets a descriptor number closed and reused meanwhile.
 */
function pumpFile(stream, res, write, end) {
  let aborted = false;
  // a write still queued when the client goes away may never call back: nothing waits for it then
  const closed = new Promise((resolve) =>
    ServerResponse.prototype.once.call(res, "close", () => {
      aborted = true;
      resolve();
    }),
  );
  const fd = stream.fd;
  const last = Number.isFinite(stream.end) ? stream.end : Infinity;
  const written = (buffer) =>
    new Promise((resolve, reject) => {
      write.call(res, buffer, (err) => (err ? reject(err) : resolve()));
    });
  (async () => {
    const buffers = [takeBuffer(), takeBuffer()];
    const inFlight = [Promise.resolve(), Promise.resolve()];
    let position = stream.pos ?? stream.start ?? 0;
    for (let i = 0; position <= last && !aborted; i ^= 1) {
      await Promise.race([inFlight[i], closed]);
      if (aborted) break;
      const bytesRead = await pread(fd, buffers[i], Math.min(FILE_CHUNK, last - position + 1), position);
      if (bytesRead === 0) {
        if (last === Infinity) break;
        throw new Error(`the file ended at ${position} bytes, before the ${last + 1} bytes stated`);
      }
      position += bytesRead;
      // a rejection is seen when this buffer's turn comes again, or below
      inFlight[i] = written(buffers[i].subarray(0, bytesRead));
      inFlight[i].catch(() => {});
    }
    // a buffer goes back to the pool only once the socket is done with it
    await Promise.race([Promise.all(inFlight), closed]);
    if (!aborted) {
      buffers.forEach(giveBack);
      end.call(res);
    }
  })()
    .catch((err) => {
      if (aborted) return;
      // the head promised the whole length: cut the connection so the client sees a truncated
      // transfer rather than a clean end
      console.error(`[bazaar] a download failed midway: ${err.message}`);
      res.destroy();
    })
    .finally(() => stream.destroy());
}
