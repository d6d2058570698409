import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { apiAs, expect, test } from "./fixtures";

/**
 * `kill -9` of the portal while it imports an image from a URL, then a restart: the import
 * is retried and finishes; in between, the image is never READY and no complete file exists.
 * Runs its own server (the production build) on its own data directory.
 */
const PORT = 3125;
const BASE = `http://localhost:${PORT}`;
const PASSWORD = "crash-admin-password";

function startServer(dataDir: string): ChildProcess {
  return spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      BAZAAR_DATA_DIR: dataDir,
      DATABASE_URL: "",
      BAZAAR_ADMIN_PASSWORD: PASSWORD,
      BAZAAR_URL_ALLOW: "127.0.0.0/8",
      BAZAAR_JOB_LEASE_SECONDS: "2",
    },
    stdio: "ignore",
  });
}

async function waitHealthy() {
  await expect
    .poll(async () => (await fetch(`${BASE}/api/health`).catch(() => null))?.status, { timeout: 60_000 })
    .toBe(200);
}

test("kill -9 of the server mid-import, then a restart: the import finishes, never READY half-done", async () => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), "bazaar-crash-"));
  const payload = randomBytes(24 * 1024 * 1024);
  const sha256 = createHash("sha256").update(payload).digest("hex");
  // a slow source, so the kill lands in the middle of the transfer
  const source = http.createServer(async (_req, res) => {
    res.writeHead(200, { "content-length": payload.length });
    for (let i = 0; i < payload.length && !res.destroyed; i += 256 * 1024) {
      if (!res.write(payload.subarray(i, i + 256 * 1024))) await once(res, "drain").catch(() => {});
      await new Promise((r) => setTimeout(r, 40));
    }
    res.end();
  });
  source.listen(0, "127.0.0.1");
  await once(source, "listening");
  const url = `http://127.0.0.1:${(source.address() as AddressInfo).port}/disk.raw`;

  let server = startServer(dataDir);
  try {
    await waitHealthy();
    const api = await apiAs(BASE, { username: "admin", password: PASSWORD });
    const ds = await (await api.post("/api/v1/datastores", { data: { name: "crash" } })).json();
    const created = await api.post("/api/v1/images", {
      data: { source: "url", url, name: "crash", datastoreId: ds.id, type: "DATABLOCK" },
    });
    expect(created.status()).toBe(201);
    const img = await created.json();
    await expect
      .poll(async () => (await (await api.get(`/api/v1/images/${img.id}`)).json()).job?.bytesDone ?? 0, {
        timeout: 30_000,
      })
      .toBeGreaterThan(1024 * 1024);

    server.kill("SIGKILL");
    await once(server, "exit");
    // the image is not READY: its bytes may lie in temporary files and in the import's
    // intermediate objects (img-<id>.<step>), but nothing under its final name
    const visible = readdirSync(ds.basePath).filter(
      (f) => !/\.(part|received|converted)$/.test(f) && !f.startsWith(`img-${img.id}.`),
    );
    expect(visible).toEqual([]);

    server = startServer(dataDir);
    await waitHealthy();
    const again = await apiAs(BASE, { username: "admin", password: PASSWORD });
    // right after the restart the import is still in progress (LOCKED) or done with the
    // source's bytes; never failed, never READY with other bytes
    const during = await (await again.get(`/api/v1/images/${img.id}`)).json();
    expect(["LOCKED", "READY"]).toContain(during.state);
    if (during.state === "READY") expect(during.sha256).toBe(sha256);
    const seen = new Set<string>([during.state]);
    await expect
      .poll(
        async () => {
          const { state } = await (await again.get(`/api/v1/images/${img.id}`)).json();
          seen.add(state);
          return state;
        },
        { timeout: 90_000, intervals: [500] },
      )
      .toBe("READY");
    expect([...seen].filter((state) => state !== "LOCKED" && state !== "READY")).toEqual([]);
    const done = await (await again.get(`/api/v1/images/${img.id}`)).json();
    expect(done.sha256).toBe(sha256);
    expect(done.job.state).toBe("SUCCEEDED");
    const job = await (await again.get(`/api/v1/jobs/${done.job.id}`)).json();
    expect(job.attempts).toBe(2);
    // once READY, the intermediate objects go: only the image's bytes stay
    await expect.poll(() => readdirSync(ds.basePath)).toEqual([`img-${img.id}`]);
    await api.dispose();
    await again.dispose();
  } finally {
    server.kill("SIGKILL");
    source.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
