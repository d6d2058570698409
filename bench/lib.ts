import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { once } from "node:events";
import { connect, type AddressInfo } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseConfig, setConfigForTests } from "@/lib/config";
import { boot } from "@/lib/boot/boot";
import { db } from "@/lib/db/client";
import { loadCtxUser } from "@/lib/auth/load-user";
import { localZone } from "@/lib/zones/local-zone";
import type { Ctx } from "@/lib/auth/context";
import { createDatastore } from "@/lib/datastores/create-datastore";
import { httpMarketConfig } from "@/lib/markets/drivers/config";
import { createMarketplace } from "@/lib/markets/create-marketplace";

/** The environment of a benchmark's portal: its own data directory and SQLite database. */
export function benchEnv(dataDir: string, extra: Record<string, string> = {}) {
  return {
    ...process.env,
    BAZAAR_DATA_DIR: dataDir,
    DATABASE_URL: "",
    BAZAAR_ADMIN_PASSWORD: "bench-password",
    BAZAAR_URL_ALLOW: "127.0.0.0/8",
    BAZAAR_WORKER_CONCURRENCY: "1",
    NODE_ENV: "production" as const,
    ...extra,
  };
}

/** Boots the portal in this process (migrations, seeds) and returns a context for `user` (default: the admin). */
export async function bootPortal(env: NodeJS.ProcessEnv): Promise<Ctx> {
  setConfigForTests(parseConfig(env));
  await boot(() => {});
  return ctxFor((await db().user.findFirstOrThrow({ where: { username: "admin" } })).id);
}

/** A service context for a user, as a request of theirs would have it. */
export async function ctxFor(userId: number): Promise<Ctx> {
  return { user: (await loadCtxUser(db(), userId))!, zone: await localZone(), requestId: "bench", via: "system" };
}

/**
 * Writes `sizeMiB` MiB of random-looking bytes fast: 64 random 1 MiB blocks, repeated. Nothing
 * on the way compresses or deduplicates, and no disk-format probe recognises it (it is raw).
 */
export async function writeRandomFile(file: string, sizeMiB: number): Promise<void> {
  const blocks = Array.from({ length: Math.min(64, Math.max(1, sizeMiB)) }, () => randomBytes(1024 * 1024));
  const out = createWriteStream(file);
  for (let i = 0; i < sizeMiB; i++) if (!out.write(blocks[i % blocks.length])) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

/** A static file server on loopback, the source of the benchmark downloads. */
export async function serveFile(file: string): Promise<{ url: string; close(): Promise<void> }> {
  const size = statSync(file).size;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": size });
    createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/image.raw`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Peak resident memory (VmHWM) of a live process, in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const clockTicks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/**
 * CPU seconds (user + system) a live process has used: its own, and its waited-for children's
 * (for this process: the commands it ran and waited for).
 */
export function cpuSeconds(pid: number | "self"): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // after "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
  const f = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  return { own: (f[11] + f[12]) / clockTicks, children: (f[13] + f[14]) / clockTicks };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, value };
}

export function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}

/** Runs a TypeScript file of this repository in its own node process (the flags of `npm run bench`). */
export function spawnTs(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn("node", ["--conditions=react-server", "--import", "tsx", file, ...args], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
}

/** The first stdout line of a child that matches, or an error when it exits before printing one. */
export function lineOf(child: ChildProcess, match: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`the child process exited (${code}) before it was ready`));
    child.once("exit", onExit);
    lines.on("line", (line) => {
      if (!match(line)) return;
      child.off("exit", onExit);
      resolve(line);
    });
  });
}

/** A job worker in its own process (`npm run worker`), resolved once it polls for jobs. */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const worker = spawnTs("scripts/worker.ts", [], env);
  await lineOf(worker, (l) => l.startsWith("[worker]") && l.includes("running"));
  return worker;
}

/** Asks a child process to stop and waits until it has. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

/**
 * Polls `load` until the row is READY (returned) or ERROR (thrown); with `objectType`, also
 * fails when the newest job on the object failed or was cancelled (a job that dies on a bad
 * payload leaves its object as it was).
 */
export async function untilReady<T extends { id: number; state: string; error: string }>(
  load: () => Promise<T>,
  objectType?: string,
): Promise<T> {
  for (;;) {
    const row = await load();
    if (row.state === "READY") return row;
    if (row.state === "ERROR") throw new Error(row.error);
    if (objectType) {
      const job = await db().job.findFirst({ where: { objectType, objectId: row.id }, orderBy: { id: "desc" } });
      if (job && (job.state === "FAILED" || job.state === "CANCELLED"))
        throw new Error(`job ${job.id} (${job.kind}) ${job.state}: ${job.error}`);
    }
    // the observer's own delay is part of the time measured: keep it small
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Runs a service call again when SQLite refused its transaction because another process (the
 * worker: heartbeats, progress, marketplace monitors) wrote in between: a deferred transaction
 * that read first cannot be upgraded then (SQLITE_BUSY_SNAPSHOT), and the busy timeout does
 * not apply to that case.
 */
export async function retryBusy<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code ?? "";
      if (i >= attempts || !code.startsWith("SQLITE_BUSY")) throw err;
      await new Promise((r) => setTimeout(r, 20 * i));
    }
  }
}

export const mib = (bytes: number) => bytes / 1024 / 1024;

/** Resident memory (VmRSS) of a live process now, in MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** The live children of a process (e.g. nginx's workers). */
export function childPids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

/** A loopback port free right now. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Resolves once something accepts connections on the loopback `port` (fails after `timeoutMs`). */
export async function untilListening(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * nginx serving the directory `root` on a free loopback port with `sendfile on` (the static file
 * server every download is compared with): its own configuration, pid file and logs in `dir`, in
 * the foreground (not a daemon), as a child of this process. Workers: one per core (`auto`).
 */
export async function startNginx(
  root: string,
  dir: string,
): Promise<{ port: number; child: ChildProcess; pids(): number[] }> {
  const port = await freePort();
  mkdirSync(path.join(dir, "logs"), { recursive: true });
  const conf = path.join(dir, "nginx.conf");
  writeFileSync(
    conf,
    [
      // a root master would hand the workers to `nobody`, who cannot read a private temp dir
      ...(process.getuid?.() === 0 ? ["user root;"] : []),
      "worker_processes auto;",
      `pid ${path.join(dir, "nginx.pid")};`,
      `error_log ${path.join(dir, "logs", "error.log")} warn;`,
      "events { worker_connections 1024; }",
      "http {",
      "  access_log off;",
      "  sendfile on;",
      "  tcp_nopush on;",
      "  default_type application/octet-stream;",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(
        (t) => `  ${t}_temp_path ${path.join(dir, `${t}_temp`)};`,
      ),
      `  server { listen 127.0.0.1:${port}; root ${root}; }`,
      "}",
    ].join("\n"),
  );
  const bin = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"].find((b) => existsSync(b));
  if (!bin) throw new Error("nginx is not installed (Debian: `bash scripts/system-deps.sh --bench` as root)");
  const child = spawn(bin, ["-p", dir, "-c", conf, "-g", "daemon off;"], { stdio: ["ignore", "ignore", "inherit"] });
  await untilListening(port, 10_000);
  return { port, child, pids: () => [child.pid!, ...childPids(child.pid!)] };
}

/**
 * Resets a live process's peak resident memory (VmHWM) to what it holds now (Linux: `5` in
 * /proc/<pid>/clear_refs), so that a peak read later is the peak of what ran in between, not of
 * the process's start. False when the kernel refused (the peak then includes the start).
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Runs a shell command line (bash: pipes, process substitution), stdout discarded. */
export function runShell(line: string): Promise<void> {
  return run("bash", ["-c", `set -o pipefail; ${line}`]);
}

/** min, median and max of some numbers. */
export function spread(values: number[]): { min: number; median: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s[s.length - 1] };
}

/** `median (min–max)` with `digits` decimals; just the value for a single run. */
export function formatSpread(values: number[], digits = 2, unit = ""): string {
  const { min, median, max } = spread(values);
  const f = (v: number) => v.toFixed(digits);
  return values.length === 1 ? `${f(median)}${unit}` : `${f(median)}${unit} (${f(min)}–${f(max)})`;
}

/** `--name value` from the command line, or undefined. */
export function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Prints rows as a Markdown table, columns padded. */
export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(3, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => `| ${cells.map((v, c) => v.padEnd(widths[c])).join(" | ")} |`;
  console.log(line(rows[0]));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows.slice(1)) console.log(line(row));
}

/** The fs datastore every benchmark imports into: on the benchmark's data disk, any format. */
export function createBenchDatastore(ctx: Ctx) {
  return createDatastore({
    ctx,
    input: {
      name: "bench",
      type: "IMAGE",
      driver: "fs",
      requiredFormat: "any",
      limitMb: null,
      description: "",
      enabled: true,
    },
  });
}

/** The http marketplace the benchmarks publish to: its folder `publicDir` on the benchmark's disk. */
export function createBenchHttpMarket(ctx: Ctx, publicDir: string) {
  return createMarketplace({
    ctx,
    input: {
      name: "bench-http",
      description: "",
      enabled: true,
      driver: "http",
      config: httpMarketConfig.parse({ publicDir }),
    },
  });
}
