import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { getConfig, setConfigForTests } from "@/lib/config";
import { db } from "@/lib/db/client";
import { loadCtxUser } from "@/lib/auth/load-user";
import { localZone } from "@/lib/zones/local-zone";
import { startWorker } from "@/lib/jobs/worker";
import type { Ctx } from "@/lib/auth/context";
import { expect } from "vitest";
import type { ApiClient, Json } from "../helpers/api";

/** A service context for the seeded admin, for tests that call services directly. */
export async function adminCtx(): Promise<Ctx> {
  const admin = await db().user.findFirstOrThrow({ where: { username: "admin" } });
  return { user: (await loadCtxUser(db(), admin.id))!, zone: await localZone(), requestId: "test", via: "system" };
}

/** URL imports in tests fetch from loopback, which production refuses unless allowed. */
export function allowLoopbackUrls() {
  setConfigForTests({ ...getConfig(), urlAllow: ["127.0.0.0/8"] });
}

export function randomPayload(bytes: number) {
  const data = randomBytes(bytes);
  return {
    data,
    sha256: createHash("sha256").update(data).digest("hex"),
    md5: createHash("md5").update(data).digest("hex"),
  };
}

/** What a route of serveBytes answers: bytes, a bare status, or bytes after some failures. */
export type ServedRoute =
  | Buffer
  | { status: number }
  | {
      body: Buffer;
      /** answer the first `failFirst` requests with `failStatus` (default 500) */
      failFirst?: number;
      failStatus?: number;
      /** this route's own speed (default: the server's) */
      bytesPerSecond?: number;
    };

/**
 * A loopback HTTP server for URL imports. `bytesPerSecond` slows it down so a test can act
 * in the middle of a transfer; `hits(path)` counts the requests a path received.
 */
export async function serveBytes(routes: Record<string, ServedRoute>, opts: { bytesPerSecond?: number } = {}) {
  const hits = new Map<string, number>();
  const server = http.createServer(async (req, res) => {
    const path = req.url ?? "";
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const route = routes[path];
    if (!route) return res.writeHead(404).end("not found");
    if (!Buffer.isBuffer(route) && "status" in route) return res.writeHead(route.status).end();
    const {
      body,
      failFirst = 0,
      failStatus = 500,
      bytesPerSecond = opts.bytesPerSecond,
    } = Buffer.isBuffer(route) ? { body: route } : route;
    if (hit <= failFirst) return res.writeHead(failStatus).end("try again later");
    res.writeHead(200, { "content-length": body.length, "content-type": "application/octet-stream" });
    if (!bytesPerSecond) return res.end(body);
    const slice = Math.max(1, Math.floor(bytesPerSecond / 20));
    for (let i = 0; i < body.length && !res.destroyed; i += slice) {
      if (!res.write(body.subarray(i, i + slice))) await once(res, "drain").catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
    res.end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    hits: (path: string) => hits.get(path) ?? 0,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A job worker in a process of its own (what `npm run worker` starts), on the test's database. */
export function spawnWorker(extraEnv: Record<string, string> = {}): ChildProcess {
  const c = getConfig();
  return spawn("node", ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: c.databaseUrl,
      BAZAAR_DATA_DIR: c.dataDir,
      BAZAAR_ZONE: c.zoneName,
      BAZAAR_URL_ALLOW: "127.0.0.0/8",
      BAZAAR_JOB_LEASE_SECONDS: "2",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Runs `body` with an in-process worker of the local zone, and stops it afterwards (stop waits for its running jobs). */
export async function withWorker<T>(body: () => Promise<T>): Promise<T> {
  const worker = startWorker({ zoneId: (await localZone()).id, pollMs: 100, log: () => {} });
  try {
    return await body();
  } finally {
    await worker.stop();
  }
}

/** Converts the raw disk at `raw` to a qcow2 at `out` (qemu-img), and returns its bytes. */
export function convertToQcow2(raw: string, out: string): Buffer {
  execFileSync("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", raw, out]);
  return readFileSync(out);
}

/** A datastore made through the API (201 expected). */
export async function apiDatastore(
  client: ApiClient,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<Json> {
  const res = await client.post("/api/v1/datastores", { name, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.json as Json;
}
