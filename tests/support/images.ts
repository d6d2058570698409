import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { getConfig, setConfigForTests } from "@/lib/config";
import { db } from "@/lib/db/client";
import { loadCtxUser } from "@/lib/auth/load-user";
import { localZone } from "@/lib/zones/local-zone";
import type { Ctx } from "@/lib/auth/context";

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
  return { data, sha256: createHash("sha256").update(data).digest("hex"), md5: createHash("md5").update(data).digest("hex") };
}

/**
 * A loopback HTTP server for URL imports. `bytesPerSecond` slows it down so a test can act
 * in the middle of a transfer.
 */
export async function serveBytes(routes: Record<string, Buffer | { status: number }>, opts: { bytesPerSecond?: number } = {}) {
  const server = http.createServer(async (req, res) => {
    const body = routes[req.url ?? ""];
    if (!body) return res.writeHead(404).end("not found");
    if (!Buffer.isBuffer(body)) return res.writeHead(body.status).end();
    res.writeHead(200, { "content-length": body.length, "content-type": "application/octet-stream" });
    if (!opts.bytesPerSecond) return res.end(body);
    const slice = Math.max(1, Math.floor(opts.bytesPerSecond / 20));
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
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
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

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
