import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { serveBytes } from "@/lib/api/serve-bytes";

/**
 * A loopback HTTP server standing in for another zone's portal: its marketplace folders at
 * /market/<id>/<key> (served by the portal's own serveBytes: Range, HEAD, ETag) and its
 * health check at /api/health. Like the portal behind Next.js, its answers carry no
 * Content-Length unless `withLength` is set (the body is chunked). A key can be made to
 * misbehave, as a broken or overloaded zone would.
 */
export type Misbehaviour =
  /** accept the request and never answer */
  | { kind: "silent" }
  /** answer the headers and `bytes` bytes, then nothing more */
  | { kind: "stall"; bytes: number }
  /** answer the whole object (200) to a Range request */
  | { kind: "ignore-range" }
  /** answer a 206 for another range than the one asked */
  | { kind: "other-range" }
  /** announce the whole length, send half, and close the connection */
  | { kind: "cut" }
  /** answer this status and nothing else */
  | { kind: "status"; status: number };

export interface Exchange {
  method: string;
  path: string;
  range: string | undefined;
}

export interface OriginZone {
  /** its endpoint, e.g. http://127.0.0.1:<port> */
  url: string;
  /** where it serves marketplace `id`: `<url>/market/<id>` */
  marketUrl(id: number): string;
  put(key: string, bytes: Buffer): void;
  misbehave(key: string, how: Misbehaviour | null): void;
  /** what /api/health answers: a healthy portal, one without its database, or silence */
  health: "ok" | "error" | "silent";
  requests: Exchange[];
  /** answers neither finished nor cut off (a request given up closes its connection) */
  pendingAnswers(): number;
  close(): Promise<void>;
}

export async function startOriginZone(opts: { withLength?: boolean } = {}): Promise<OriginZone> {
  const files = new Map<string, Buffer>();
  const misbehaviours = new Map<string, Misbehaviour>();
  let pending = 0;
  const zone: Partial<OriginZone> & { health: OriginZone["health"]; requests: Exchange[] } = {
    health: "ok",
    requests: [],
  };

  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    zone.requests.push({ method: req.method ?? "GET", path, range: req.headers.range });
    pending++;
    res.once("close", () => pending--);
    if (path === "/api/health") {
      if (zone.health === "silent") return;
      const ok = zone.health === "ok";
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      return res.end(JSON.stringify(ok ? { status: "ok" } : { status: "error", detail: "database unreachable" }));
    }
    const key = /^\/market\/\d+\/([^/]+)$/.exec(path)?.[1];
    const data = key ? files.get(key) : undefined;
    const how = key ? misbehaviours.get(key) : undefined;
    if (how?.kind === "silent") return;
    if (how?.kind === "status") return res.writeHead(how.status).end();
    if (!key || !data) return res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
    if (how?.kind === "stall") {
      res.writeHead(req.headers.range ? 206 : 200, rangeHeaders(req.headers.range, data.length));
      return res.write(data.subarray(0, how.bytes));
    }
    if (how?.kind === "ignore-range") return res.writeHead(200, { "content-length": data.length }).end(data);
    if (how?.kind === "other-range")
      return res
        .writeHead(206, { "content-range": `bytes 0-0/${data.length}`, "content-length": 1 })
        .end(data.subarray(0, 1));
    if (how?.kind === "cut") {
      res.writeHead(200, { "content-length": data.length });
      res.write(data.subarray(0, Math.floor(data.length / 2)));
      return void setTimeout(() => res.destroy(), 20);
    }
    const answer = await serveBytes(
      { method: req.method ?? "GET", headers: new Headers(req.headers as Record<string, string>) },
      {
        size: data.length,
        etag: `"${data.length}-etag"`,
        contentType: "application/octet-stream",
        open: async (r) => Readable.from([r ? data.subarray(r.start, r.end + 1) : data]),
      },
      { cacheControl: "no-store" },
    );
    const headers = Object.fromEntries(answer.headers);
    if (!opts.withLength) delete headers["content-length"];
    res.writeHead(answer.status, headers);
    if (!answer.body) return res.end();
    Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(zone, {
    url,
    marketUrl: (id: number) => `${url}/market/${id}`,
    put: (key: string, bytes: Buffer) => void files.set(key, bytes),
    misbehave: (key: string, how: Misbehaviour | null) =>
      void (how ? misbehaviours.set(key, how) : misbehaviours.delete(key)),
    pendingAnswers: () => pending,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function rangeHeaders(range: string | undefined, size: number): Record<string, string> {
  const m = /^bytes=(\d+)-(\d+)$/.exec(range ?? "");
  return m ? { "content-range": `bytes ${m[1]}-${m[2]}/${size}` } : {};
}
