import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addressMatcher } from "@/lib/auth/forwarding.mjs";
import { createRequestListener } from "../../scripts/request-listener.mjs";

/**
 * The production server's request listener (scripts/server.mjs) on a real socket, with a
 * stand-in for Next.js that echoes what it was handed. Starting the real server needs a
 * production build; the end-to-end tests do that.
 */
let server: http.Server | undefined;
let seen: { method?: string; headers: IncomingHttpHeaders }[] = [];

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
  seen = [];
});

async function listen(
  trustedProxies: string[],
  handle = (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method, headers: req.headers });
    res.end("ok");
  },
): Promise<number> {
  server = http.createServer(createRequestListener(handle, addressMatcher(trustedProxies)));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** http.request, since fetch() refuses methods such as TRACE. */
function request(port: number, method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const spoofing = {
  "X-Forwarded-For": "6.6.6.6",
  "X-Real-IP": "6.6.6.7",
  "X-Forwarded-Host": "evil.example",
  "X-Forwarded-Proto": "https",
  "X-Forwarded-Port": "443",
  Forwarded: "for=6.6.6.8",
};

describe("methods no route supports", () => {
  it.each(["TRACE", "PROPFIND", "MKCOL", "PURGE"])("%s answers 405 problem+json with Allow", async (method) => {
    const port = await listen([]);
    const res = await request(port, method, "/api/v1/session?x=1", { "X-Request-Id": "req-405" });
    expect(res.status).toBe(405);
    expect(res.headers["allow"]).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(res.headers["x-request-id"]).toBe("req-405");
    expect(JSON.parse(res.body)).toEqual({
      type: "https://bazaar.invalid/problems/method-not-allowed",
      title: "Method not allowed",
      status: 405,
      detail: `The method ${method} is not supported; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS`,
      code: "METHOD_NOT_ALLOWED",
      instance: "/api/v1/session",
      request_id: "req-405",
    });
    expect(seen).toEqual([]);
  });

  it("the others reach Next.js", async () => {
    const port = await listen([]);
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      expect((await request(port, method, "/")).status).toBe(200);
    }
    expect(seen.map((s) => s.method)).toEqual(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
  });

  it("a failing handler answers 500 without taking the server down", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const port = await listen([], () => Promise.reject(new Error("boom")));
    expect((await request(port, "GET", "/")).status).toBe(500);
    expect((await request(port, "GET", "/")).status).toBe(500);
    expect(logged).toHaveBeenCalledTimes(2);
    logged.mockRestore();
  });
});

describe("forwarding headers", () => {
  it("from an untrusted peer: dropped, and X-Forwarded-For is the socket's address", async () => {
    const port = await listen(["10.0.0.0/8"]);
    await request(port, "GET", "/", spoofing);
    const [{ headers }] = seen;
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
    for (const name of ["x-real-ip", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"]) {
      expect(headers[name], name).toBeUndefined();
    }
  });

  it("from a trusted proxy: kept, with the proxy's address appended", async () => {
    const port = await listen(["127.0.0.0/8"]);
    await request(port, "GET", "/", spoofing);
    const [{ headers }] = seen;
    expect(headers["x-forwarded-for"]).toBe("6.6.6.6, 127.0.0.1");
    expect(headers["x-forwarded-proto"]).toBe("https");
    expect(headers["x-forwarded-host"]).toBe("evil.example");
  });
});

describe("what Next.js is handed", () => {
  it("a catalog path with doubled slashes (an OpenNebula ENDPOINT ending in /) arrives collapsed, other paths as they are", async () => {
    const urls: string[] = [];
    const port = await listen([], (req, res) => {
      urls.push(req.url ?? "");
      res.end("ok");
    });
    await request(port, "GET", "/catalog/7//appliance?x=1");
    await request(port, "GET", "/catalog/7/t/tok//appliance/");
    await request(port, "GET", "/api/v1//session");
    expect(urls).toEqual(["/catalog/7/appliance?x=1", "/catalog/7/t/tok/appliance", "/api/v1//session"]);
  });

  it("an answer stating its length in x-bazaar-content-length goes out with Content-Length, not chunked", async () => {
    const port = await listen([], (_req, res) => {
      res.setHeader("x-bazaar-content-length", "5");
      res.write("he");
      res.end("llo");
    });
    const res = await request(port, "GET", "/api/v1/apps/1/download");
    expect(res.headers["content-length"]).toBe("5");
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    expect(res.headers["x-bazaar-content-length"]).toBeUndefined();
    expect(res.body).toBe("hello");
  });
});
