/**
 * Benchmark: downloads from the production server (scripts/server.mjs, the build in .next)
 * against nginx serving the same file with `sendfile on`, in the same run:
 *  - image download (GET /api/v1/images/<id>/download, an fs datastore; bearer token),
 *  - app download (GET /api/v1/apps/<id>/download, an http marketplace; bearer token),
 *  - the http marketplace's folder as the portal serves it (GET /market/<id>/<key>, public),
 *  - plain Node (bench/node-floor.mjs: node:http and the same pread loop, nothing else) on the
 *    image's file: the floor of any Node server without sendfile,
 *  - nginx (its own configuration in a temp dir, `worker_processes auto`) on the image's file.
 * Each load is `clients` parallel curl Range downloads of `rangeMiB` MiB each, distinct ranges,
 * to /dev/null. Printed per target and over the repetitions (min / median / max): aggregate
 * throughput, its ratio to nginx's in the same round, the server's CPU seconds per GiB sent
 * (/proc/<pid>/stat; nginx: master and workers), curl's, and the server's RSS idle (before the
 * load) → peak (sampled every 50 ms) → after (a few seconds after the load).
 *
 *   npm run bench:downloads -- [file size in MiB, default 3200] [repetitions, default 3]
 *
 * Needs the production build (`npm run build`) and nginx (`bash scripts/system-deps.sh --bench`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { db } from "@/lib/db/client";
import { createImage } from "@/lib/images/create-image";
import { publishApp } from "@/lib/apps/publish-app";
import { createToken } from "@/lib/tokens/create-token";
import {
  benchEnv,
  bootPortal,
  childPids,
  cpuSeconds,
  createBenchDatastore,
  createBenchHttpMarket,
  freePort,
  lineOf,
  retryBusy,
  rssMiB,
  run,
  serveFile,
  startNginx,
  startWorker,
  stop,
  untilListening,
  untilReady,
  writeRandomFile,
} from "./lib";

const sizeMiB = Number(process.argv[2] ?? 3200);
const repetitions = Number(process.argv[3] ?? 3);
const clients = Number(process.env.BENCH_CLIENTS ?? 50);
const rangeMiB = Number(process.env.BENCH_RANGE_MIB ?? 64);
/** how long after a load the RSS is read again */
const SETTLE_MS = 5_000;
const MiB = 1024 * 1024;

if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build in .next: run `npm run build` first (the benchmark measures the built server).");
  process.exit(1);
}
if (clients * rangeMiB > sizeMiB) {
  console.error(`${clients} distinct ranges of ${rangeMiB} MiB need a file of at least ${clients * rangeMiB} MiB`);
  process.exit(1);
}

const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "bazaar-bench-dl-"));
const env = benchEnv(path.join(dir, "data"));
const children: ChildProcess[] = [];
const servers: { close(): Promise<void> }[] = [];

interface Target {
  label: string;
  url: string;
  headers: string[];
  /** the processes whose CPU and RSS count */
  pids: () => number[];
}

interface Sample {
  seconds: number;
  mibPerSecond: number;
  cpuPerGiB: number;
  curlCpuPerGiB: number;
  idle: number;
  peak: number;
  after: number;
}

const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid).own, 0);
const rssOf = (pids: number[]) => pids.reduce((sum, pid) => sum + rssMiB(pid), 0);

/** One curl Range download to /dev/null; fails unless it is a 206 of exactly the range. */
function curl(target: Target, start: number, end: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-r", `${start}-${end}`];
    for (const h of target.headers) args.push("-H", h);
    const child = spawn("curl", [...args, target.url], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("error", reject);
    // "close": stdout fully read (on "exit" it may not be)
    child.on("close", (code) => {
      const expected = `206 ${end - start + 1}`;
      if (code === 0 && out.trim() === expected) resolve();
      else reject(new Error(`${target.label}: curl exited ${code} with "${out.trim()}", expected "${expected}"`));
    });
  });
}

async function load(target: Target): Promise<Sample> {
  await run("sync", []);
  const pids = target.pids();
  const idle = rssOf(pids);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(target.pids()))), 50);
  const cpu0 = cpuOf(pids);
  const curl0 = cpuSeconds("self").children;
  const t0 = process.hrtime.bigint();
  const range = rangeMiB * MiB;
  await Promise.all(Array.from({ length: clients }, (_, i) => curl(target, i * range, (i + 1) * range - 1)));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuOf(pids) - cpu0;
  const curlCpu = cpuSeconds("self").children - curl0;
  clearInterval(sampler);
  peak = Math.max(peak, rssOf(target.pids()));
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const gib = (clients * rangeMiB) / 1024;
  return {
    seconds,
    mibPerSecond: (clients * rangeMiB) / seconds,
    cpuPerGiB: cpu / gib,
    curlCpuPerGiB: curlCpu / gib,
    idle,
    peak,
    after: rssOf(target.pids()),
  };
}

async function main() {
  console.log(`writing a ${sizeMiB} MiB file of random bytes…`);
  const source = path.join(dir, "source.raw");
  await writeRandomFile(source, sizeMiB);

  const ctx = await bootPortal(env);
  const ds = await createBenchDatastore(ctx);
  const dsRow = await db().datastore.findUniqueOrThrow({ where: { id: ds.id } });
  const httpDir = path.join(dir, "market-http");
  const market = await createBenchHttpMarket(ctx, httpDir);
  await db().marketplace.updateMany({ data: { monitorDueAt: new Date(Date.now() + 3600_000) } });

  console.log("importing it as an image and publishing it to an http marketplace (not timed)…");
  const fileServer = await serveFile(source);
  servers.push(fileServer);
  const worker = await startWorker(env);
  children.push(worker);
  const image = await createImage({
    ctx,
    input: {
      source: "url",
      url: fileServer.url,
      name: "bench",
      datastoreId: ds.id,
      type: "OS",
      description: "",
      expectedMd5: "",
      expectedSha256: "",
    },
  });
  await untilReady(() => db().image.findUniqueOrThrow({ where: { id: image.id } }), "IMAGE");
  const app = await retryBusy(() =>
    publishApp({
      ctx,
      input: {
        marketplaceId: market.id,
        imageId: image.id,
        name: "bench",
        version: "1.0",
        description: "",
        tags: [],
        hypervisor: "kvm",
        architecture: "x86_64",
        vmTemplate: "",
      },
    }),
  );
  const ready = await untilReady(
    () => db().marketplaceApp.findUniqueOrThrow({ where: { id: app.id } }),
    "MARKETPLACE_APP",
  );
  await stop(worker);
  await fileServer.close();
  rmSync(source);
  const { token } = await createToken({ ctx, input: { name: "bench", expiresInDays: 1 } });
  const imageFile = path.join(
    dsRow.basePath,
    (await db().image.findUniqueOrThrow({ where: { id: image.id } })).storageKey,
  );
  // both files in the page cache, as they would be on a server that serves them often
  await Promise.all(
    [imageFile, path.join(httpDir, ready.storageKey!)].map((f) => run("dd", [`if=${f}`, "of=/dev/null", "bs=4M"])),
  );

  const port = await freePort();
  const server = spawn(process.execPath, ["scripts/server.mjs"], {
    env: { ...env, PORT: String(port), BAZAAR_WORKER: "false" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(server);
  await lineOf(server, (l) => l.includes("listening on"));
  server.stdout!.resume();
  await untilListening(port);
  const floorPort = await freePort();
  const floor = spawn(process.execPath, ["bench/node-floor.mjs", imageFile, String(floorPort)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(floor);
  await lineOf(floor, (l) => l.includes("listening"));
  const nginx = await startNginx(path.dirname(imageFile), path.join(dir, "nginx"));
  children.push(nginx.child);

  const base = `http://127.0.0.1:${port}`;
  const auth = [`Authorization: Bearer ${token}`];
  const serverPids = () => [server.pid!];
  const targets: Target[] = [
    { label: "image download", url: `${base}/api/v1/images/${image.id}/download`, headers: auth, pids: serverPids },
    { label: "app download", url: `${base}/api/v1/apps/${app.id}/download`, headers: auth, pids: serverPids },
    { label: "market folder", url: `${base}/market/${market.id}/${ready.storageKey}`, headers: [], pids: serverPids },
    { label: "plain Node (floor)", url: `http://127.0.0.1:${floorPort}/`, headers: [], pids: () => [floor.pid!] },
    {
      label: "nginx (sendfile)",
      url: `http://127.0.0.1:${nginx.port}/${path.basename(imageFile)}`,
      headers: [],
      pids: nginx.pids,
    },
  ];
  // one request each first (every route loaded, nginx's workers up), checked byte for byte
  const fd = await open(imageFile);
  const start = 17 * MiB + 3;
  const expected = Buffer.alloc(MiB);
  await fd.read(expected, 0, MiB, start);
  await fd.close();
  for (const t of targets) {
    await curl(t, 0, MiB - 1);
    const headers = new Headers({ range: `bytes=${start}-${start + MiB - 1}` });
    for (const h of t.headers) headers.set(h.slice(0, h.indexOf(":")), h.slice(h.indexOf(":") + 1).trim());
    const got = Buffer.from(await (await fetch(t.url, { headers })).arrayBuffer());
    if (!got.equals(expected)) throw new Error(`${t.label}: the bytes served are not the file's`);
  }
  console.log(`server pid ${server.pid}, nginx workers ${childPids(nginx.child.pid!).length}`);

  const load0 = loadavg();
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.label, []]));
  const ratios = new Map<string, number[]>(targets.map((t) => [t.label, []]));
  for (let r = 1; r <= repetitions; r++) {
    const round = new Map<string, Sample>();
    for (const t of targets) {
      const s = await load(t);
      round.set(t.label, s);
      samples.get(t.label)!.push(s);
      console.log(
        `round ${r} ${t.label}: ${s.mibPerSecond.toFixed(0)} MiB/s, ${s.cpuPerGiB.toFixed(2)} CPU s/GiB, ` +
          `RSS ${s.idle.toFixed(0)} → ${s.peak.toFixed(0)} → ${s.after.toFixed(0)} MiB`,
      );
    }
    const nginxRate = round.get("nginx (sendfile)")!.mibPerSecond;
    for (const t of targets) ratios.get(t.label)!.push(round.get(t.label)!.mibPerSecond / nginxRate);
  }

  const stats = (values: number[], digits = 0) => {
    const v = [...values].sort((a, b) => a - b);
    const f = (x: number) => x.toFixed(digits);
    return `${f(v[0])} / ${f(v[Math.floor(v.length / 2)])} / ${f(v[v.length - 1])}`;
  };
  const table = [
    [
      "",
      "MiB/s",
      "vs nginx",
      "server CPU s/GiB",
      "curl CPU s/GiB",
      "RSS idle MiB",
      "RSS peak MiB",
      `RSS after ${SETTLE_MS / 1000} s MiB`,
    ],
    ...targets.map((t) => {
      const s = samples.get(t.label)!;
      return [
        t.label,
        stats(s.map((x) => x.mibPerSecond)),
        stats(ratios.get(t.label)!, 2),
        stats(
          s.map((x) => x.cpuPerGiB),
          2,
        ),
        stats(
          s.map((x) => x.curlCpuPerGiB),
          2,
        ),
        stats(s.map((x) => x.idle)),
        stats(s.map((x) => x.peak)),
        stats(s.map((x) => x.after)),
      ];
    }),
  ];
  const widths = table[0].map((_, c) => Math.max(3, ...table.map((row) => row[c].length)));
  const line = (cells: string[]) => `| ${cells.map((v, c) => v.padEnd(widths[c])).join(" | ")} |`;
  console.log(
    `\n${clients} parallel Range downloads of ${rangeMiB} MiB (distinct ranges of a ${sizeMiB} MiB file in the page ` +
      `cache), curl to /dev/null; ${repetitions} rounds, min / median / max; load average ` +
      `${load0.map((l) => l.toFixed(1)).join(" ")} at the start, ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} at the end\n`,
  );
  console.log(line(table[0]));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of table.slice(1)) console.log(line(row));
  console.log(
    "\nvs nginx: the round's throughput over nginx's in the same round. CPU: user + system seconds of the " +
      "server (nginx: master and workers) per GiB sent. RSS: the server's (nginx: all its processes) before " +
      "the load, its peak during it, and after.",
  );
}

// an interrupted run still stops its server and nginx and removes its files
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    for (const child of children) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children) await stop(child).catch(() => {});
    for (const s of servers) await s.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
