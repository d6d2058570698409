import { spawn, type ChildProcess } from "node:child_process";
import { createReadStream, readFileSync, statSync } from "node:fs";
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";

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

export function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn("node", ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export const mib = (bytes: number) => bytes / 1024 / 1024;
