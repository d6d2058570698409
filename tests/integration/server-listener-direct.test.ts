import { randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { NodeNextResponse } from "next/dist/server/base-http/node";
import { sendResponse } from "next/dist/server/send-response";
import {
  DIRECT_BODY_HEADER,
  enableDirectBodies,
  pendingDirectBodies,
  registerDirectBody,
} from "@/lib/api/direct-body.mjs";
import { serveBytes } from "@/lib/api/serve-bytes";
import { addressMatcher } from "@/lib/auth/forwarding.mjs";
import type { ByteRange, ByteSource } from "@/lib/transfer/byte-source";
import { createRequestListener } from "../../scripts/request-listener.mjs";

/**
 * The direct byte path (lib/api/direct-body.mjs) on a real socket: the production server's
 * request listener in front of a stand-in for Next.js made of Next.js's own parts (its
 * compression middleware, which wraps write/end, and the sendResponse that copies a route
 * handler's Response into the Node response), with serveBytes answering from a real file.
 */
type Compression = () => (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
const compression = createRequire(import.meta.url)("next/dist/compiled/compression") as Compression;

const dir = mkdtempSync(path.join(tmpdir(), "bazaar-direct-"));
const FILE = path.join(dir, "disk.raw");
const BYTES = randomBytes(8 * 1024 * 1024 + 123);
let server: http.Server | undefined;
/** every stream a source opened, to check that each one ends closed */
let opened: Readable[] = [];

beforeAll(() => {
  writeFileSync(FILE, BYTES);
  enableDirectBodies();
});
afterAll(() => {
  enableDirectBodies(false);
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  const s = server;
  if (s) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  server = undefined;
  opened = [];
});

/**
 * The file as a ByteSource, opened as the fs drivers open it (a FileHandle's ReadStream, read by
 * the direct path's own pump); `wrap` may replace the opened stream (piped then).
 */
function fileSource(wrap?: (s: Readable) => Readable): ByteSource {
  return {
    size: BYTES.length,
    etag: '"v1"',
    filename: "disk.raw",
    contentType: "application/octet-stream",
    async open(range?: ByteRange) {
      const fh = await open(FILE);
      const file = fh.createReadStream({ ...(range ?? { start: 0, end: BYTES.length - 1 }) });
      const stream = wrap ? wrap(file) : file;
      opened.push(stream);
      return stream;
    },
  };
}

/** The file as a stream the pump does not know (piped as it is). */
const pipedSource = () =>
  fileSource((file) => {
    const piped = file.pipe(new PassThrough());
    piped.on("close", () => file.destroy());
    return piped;
  });

/** What Next.js does with a route handler: compression around `res`, then sendResponse. */
async function listen(answer: (req: Request) => Promise<Response>): Promise<number> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    compression()(req, res, () => {});
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const response = await answer(new Request(`http://localhost${req.url}`, { method: req.method, headers }));
    await sendResponse(req as never, new NodeNextResponse(res), response);
  };
  server = http.createServer(createRequestListener(handle, addressMatcher([])));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const listenServing = (source: () => ByteSource = () => fileSource()) =>
  listen((req) => serveBytes(req, source(), { cacheControl: "private, no-store" }));

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** the connection ended before the stated length arrived */
  cut: boolean;
}

function request(port: number, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/d", ...opts }, (res) => {
      const chunks: Buffer[] = [];
      let cut = false;
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("aborted", () => (cut = true));
      res.on("error", () => (cut = true));
      res.on("close", () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks),
          cut: cut || !res.complete,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const until = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check(), what).toBe(true);
};

/** File descriptors of this process that point at FILE. */
function openFileDescriptors(): number {
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return statSync(`/proc/self/fd/${fd}`).ino === statSync(FILE).ino;
    } catch {
      return false;
    }
  }).length;
}

describe("a download's body through the direct path", () => {
  it("serves the whole file with its length, never the private headers, and takes the route's answer body-less", async () => {
    let bodyOfAnswer: ReadableStream | null | undefined;
    const port = await listen(async (req) => {
      const res = await serveBytes(req, fileSource(), { cacheControl: "private, no-store" });
      bodyOfAnswer = res.body;
      return res;
    });
    const res = await request(port);
    expect(res.status).toBe(200);
    expect(res.cut).toBe(false);
    expect(res.headers["content-length"]).toBe(String(BYTES.length));
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers[DIRECT_BODY_HEADER]).toBeUndefined();
    expect(res.headers["x-bazaar-content-length"]).toBeUndefined();
    expect(res.headers.etag).toBe('"v1"');
    expect(res.headers["content-disposition"]).toBe('attachment; filename="disk.raw"');
    expect(res.body.equals(BYTES)).toBe(true);
    // the bytes went through no web stream, and were read by the pump, not by the fs stream
    expect(bodyOfAnswer).toBeNull();
    expect((opened[0] as Readable & { bytesRead: number }).bytesRead).toBe(0);
    expect(pendingDirectBodies()).toBe(0);
    await until("the file is closed", () => opened.every((s) => s.destroyed) && openFileDescriptors() === 0);
  });

  it.each([
    ["bytes=0-0", 0, 0],
    ["bytes=1000-1999999", 1000, 1999999],
    ["bytes=-777", BYTES.length - 777, BYTES.length - 1],
  ])("serves %s as 206 with exactly those bytes", async (range, start, end) => {
    const port = await listenServing();
    const res = await request(port, { headers: { range } });
    expect(res.status).toBe(206);
    expect(res.headers["content-range"]).toBe(`bytes ${start}-${end}/${BYTES.length}`);
    expect(res.headers["content-length"]).toBe(String(end - start + 1));
    expect(res.body.equals(BYTES.subarray(start, end + 1))).toBe(true);
  });

  it("goes out as it is, with its length, even of a type Next.js's compression compresses", async () => {
    const port = await listenServing(() => ({ ...fileSource(), contentType: "text/plain" }));
    const res = await request(port, { headers: { "accept-encoding": "gzip" } });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers["content-length"]).toBe(String(BYTES.length));
    expect(res.body.equals(BYTES)).toBe(true);
  });

  it("answers HEAD, 304 and 416 as before, opening nothing", async () => {
    const port = await listenServing();
    const head = await request(port, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String(BYTES.length));
    expect(head.body.length).toBe(0);
    expect((await request(port, { headers: { "if-none-match": '"v1"' } })).status).toBe(304);
    expect((await request(port, { headers: { range: `bytes=${BYTES.length}-` } })).status).toBe(416);
    expect(opened).toEqual([]);
    expect(pendingDirectBodies()).toBe(0);
  });

  it("serves many downloads at once, each its own range", async () => {
    const port = await listenServing();
    const step = Math.floor(BYTES.length / 8);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        request(port, { headers: { range: `bytes=${i * step}-${(i + 1) * step - 1}` } }),
      ),
    );
    answers.forEach((a, i) => expect(a.body.equals(BYTES.subarray(i * step, (i + 1) * step))).toBe(true));
    await until("every file is closed", () => openFileDescriptors() === 0);
  });

  it("a file: a slow client gets every byte in the end, and one that goes away closes the file", async () => {
    const port = await listenServing();
    const chunks: Buffer[] = [];
    const req = http.request({ host: "127.0.0.1", port, path: "/d" });
    const res = await new Promise<IncomingMessage>((resolve) => req.on("response", resolve).end());
    res.on("data", (c: Buffer) => chunks.push(c));
    res.pause();
    await new Promise((r) => setTimeout(r, 300));
    expect(Buffer.concat(chunks).length).toBeLessThan(BYTES.length);
    expect(openFileDescriptors()).toBe(1);
    res.resume();
    await new Promise((r) => res.on("end", r));
    expect(Buffer.concat(chunks).equals(BYTES)).toBe(true);
    await until("the file is closed", () => openFileDescriptors() === 0);

    const gone = http.request({ host: "127.0.0.1", port, path: "/d" });
    const paused = await new Promise<IncomingMessage>((resolve) => gone.on("response", resolve).end());
    paused.pause();
    await new Promise((r) => setTimeout(r, 100));
    expect(openFileDescriptors()).toBe(1);
    gone.destroy();
    await until("the file is closed", () => openFileDescriptors() === 0);
  });

  it("another stream: read no faster than a slow client takes the bytes (backpressure); a client that goes away destroys it", async () => {
    const port = await listenServing(pipedSource);
    let received = 0;
    const req = http.request({ host: "127.0.0.1", port, path: "/d" });
    const res = await new Promise<IncomingMessage>((resolve) => req.on("response", resolve).end());
    res.on("data", (c: Buffer) => (received += c.length));
    res.pause();
    await new Promise((r) => setTimeout(r, 300));
    const [stream] = opened;
    // socket and stream buffers hold a few MiB at most; without backpressure the whole file
    // would have been read by now
    expect(stream.readableLength).toBeLessThan(BYTES.length / 2);
    expect(received).toBeLessThan(BYTES.length);
    expect(stream.destroyed).toBe(false);
    req.destroy();
    await until("the stream is destroyed", () => stream.destroyed);
    await until("the file is closed", () => openFileDescriptors() === 0);
  });

  it("a file cut short while it is served: the client sees a truncated transfer", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const port = await listen(async (req) => {
      const res = await serveBytes(req, fileSource(), { cacheControl: "private, no-store" });
      truncateSync(FILE, 3 * 1024 * 1024);
      return res;
    });
    try {
      const res = await request(port);
      expect(res.status).toBe(200);
      expect(res.headers["content-length"]).toBe(String(BYTES.length));
      expect(res.cut).toBe(true);
      expect(res.body.length).toBe(3 * 1024 * 1024);
      expect(res.body.equals(BYTES.subarray(0, res.body.length))).toBe(true);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining("the file ended at 3145728 bytes"));
    } finally {
      writeFileSync(FILE, BYTES);
      logged.mockRestore();
    }
    await until("the file is closed", () => openFileDescriptors() === 0);
  });

  it("a source that fails midway cuts the connection: the client sees a truncated transfer, not a clean end", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const port = await listenServing(() =>
      fileSource((file) => {
        const failing = new PassThrough();
        let sent = 0;
        file.on("data", (c: Buffer) => {
          sent += c.length;
          if (sent > 1024 * 1024) failing.destroy(new Error("disk read error"));
          else failing.write(c);
        });
        failing.on("close", () => file.destroy());
        return failing;
      }),
    );
    const res = await request(port);
    expect(res.status).toBe(200);
    expect(res.cut).toBe(true);
    expect(res.body.length).toBeLessThan(BYTES.length);
    expect(res.body.equals(BYTES.subarray(0, res.body.length))).toBe(true);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("disk read error"));
    logged.mockRestore();
    await until("the file is closed", () => openFileDescriptors() === 0);
  });

  it("an answer whose body was never registered (or was taken) drops the connection instead of promising bytes", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const port = await listen(async () => {
      return new Response(null, {
        status: 200,
        headers: { [DIRECT_BODY_HEADER]: "no-such-token", "x-bazaar-content-length": "10" },
      });
    });
    await expect(request(port)).rejects.toThrow(/socket hang up|ECONNRESET/);
    logged.mockRestore();
  });

  it("a registered body nobody takes is destroyed after its time, closing its file", async () => {
    const stream = createReadStream(FILE);
    await new Promise((r) => stream.once("open", r));
    expect(openFileDescriptors()).toBe(1);
    registerDirectBody(stream, 50);
    expect(pendingDirectBodies()).toBe(1);
    await until("the body expired", () => stream.destroyed && pendingDirectBodies() === 0);
    await until("the file is closed", () => openFileDescriptors() === 0);
  });

  it("a route handler that fails after serveBytes leaves no open file behind", async () => {
    const port = await listen(async (req) => {
      await serveBytes(req, fileSource(), { cacheControl: "private, no-store" });
      return new Response("failed", { status: 500 });
    });
    // the expiry is the safety net: here it is shortened through the registration's default
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      expect((await request(port)).status).toBe(500);
      expect(pendingDirectBodies()).toBe(1);
      vi.runOnlyPendingTimers();
    } finally {
      vi.useRealTimers();
    }
    expect(pendingDirectBodies()).toBe(0);
    await until("the file is closed", () => openFileDescriptors() === 0);
  });

  it("other answers are untouched: an ordinary body, and a body of unknown length keeps the web stream", async () => {
    const port = await listen(async (req) =>
      req.headers.get("x-kind") === "plain"
        ? new Response("hello", { headers: { "content-type": "text/plain" } })
        : serveBytes(req, { ...fileSource(), sizeIsExact: false }, { cacheControl: "no-store" }),
    );
    const plain = await request(port, { headers: { "x-kind": "plain" } });
    expect(plain.body.toString()).toBe("hello");
    const unknown = await request(port);
    expect(unknown.headers["content-length"]).toBeUndefined();
    expect(unknown.body.equals(BYTES)).toBe(true);
    expect(pendingDirectBodies()).toBe(0);
  });
});
