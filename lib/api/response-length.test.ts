import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LENGTH_HEADER, restoreContentLength } from "./response-length.mjs";

// What Next.js does with a route handler's answer: headers one by one (Content-Length
// dropped), then the body piped in chunks, or no body for HEAD.
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    restoreContentLength(res);
    const body = Buffer.alloc(100_000, 7);
    res.statusCode = 200;
    if (req.url !== "/no-length") res.appendHeader(LENGTH_HEADER, String(body.length));
    if (req.url === "/encoded") res.appendHeader("content-encoding", "gzip");
    if (req.method === "HEAD") return res.end();
    res.write(body.subarray(0, 40_000));
    res.end(body.subarray(40_000));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function send(method: string, path: string): Promise<{ headers: IncomingHttpHeaders; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ headers: res.headers, bytes }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("restoreContentLength", () => {
  it("sends the stated length as Content-Length on GET and HEAD, never chunked, and drops the private header", async () => {
    for (const method of ["GET", "HEAD"]) {
      const { headers, bytes } = await send(method, "/");
      expect(headers["content-length"]).toBe("100000");
      expect(headers["transfer-encoding"]).toBeUndefined();
      expect(headers[LENGTH_HEADER]).toBeUndefined();
      expect(bytes).toBe(method === "GET" ? 100_000 : 0);
    }
  });

  it("leaves an answer without a stated length chunked, and never sets a length beside a Content-Encoding", async () => {
    expect((await send("GET", "/no-length")).headers["transfer-encoding"]).toBe("chunked");
    const encoded = await send("HEAD", "/encoded");
    expect(encoded.headers["content-length"]).toBeUndefined();
    expect(encoded.headers[LENGTH_HEADER]).toBeUndefined();
  });
});
