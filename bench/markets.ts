/**
 * Benchmark: publish an image to an http and an s3 marketplace and import it back, through
 * the portal's job worker, each against a baseline in the same run:
 *  - http publish and import against `cp` of the same bytes onto the same disk (and, for
 *    reference, `cp` followed by `md5sum` and `sha256sum`: the hashing the portal does);
 *  - s3 publish against a direct multipart upload with @aws-sdk/lib-storage (the driver's part
 *    size and queue size), s3 import against GetObject streamed into a file.
 * The S3 service is s3rver in a process of its own (bench/s3-server.ts). Imports go into a
 * datastore that takes any format, so no conversion is timed. Each portal transfer runs in a
 * fresh worker process (`npm run worker`); SDK baselines run in a process of their own too
 * (bench/s3-sdk.ts). Every step starts after a global `sync`. Printed per step: the time (portal:
 * from the service call to READY, and the job's own run time), the rate, the ratio against its
 * baseline, the CPU seconds of the process that moved the bytes and of s3rver, and the peak RSS
 * (VmHWM) of the process that moved them.
 *
 *   npm run bench:markets -- [size in MiB, default 2048]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { createDatastore } from "@/lib/datastores/create-datastore";
import { createImage } from "@/lib/images/create-image";
import { createMarketplace } from "@/lib/markets/create-marketplace";
import { httpMarketConfig } from "@/lib/markets/drivers/config";
import { publishApp } from "@/lib/apps/publish-app";
import { importApp } from "@/lib/apps/import-app";
import { s3ConfigFor } from "@/tests/support/s3";
import {
  benchEnv,
  bootPortal,
  cpuSeconds,
  lineOf,
  peakRssMiB,
  retryBusy,
  run,
  serveFile,
  spawnTs,
  startWorker,
  stop,
  timed,
  untilReady,
  writeRandomFile,
} from "./lib";

const sizeMiB = Number(process.argv[2] ?? 2048);
/** The s3 driver's multipart settings: 32 MB parts (the marketplace's partSizeMb), 4 in flight. */
const PART_MIB = 32;
const QUEUE_SIZE = 4;
const BUCKET = "bench";

const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "bazaar-bench-"));
const env = benchEnv(path.join(dir, "data"));
/** child processes and servers to end however the run ends */
const children: ChildProcess[] = [];
const servers: { close(): Promise<void> }[] = [];

interface Row {
  label: string;
  seconds: number;
  /** the baseline this row is compared with (none: it is one) */
  baseline?: Row;
  /** peak RSS of the process that moved the bytes, MiB */
  rss?: number;
  /** the worker's own run time of the job (from claim to finish) */
  jobSeconds?: number;
  /** CPU seconds of the process(es) that moved the bytes (commands: all of them) */
  cpu?: number;
  /** CPU seconds of the S3 server meanwhile */
  serverCpu?: number;
}

let s3Pid = 0;
const serverCpu = () => cpuSeconds(s3Pid).own;

/** Commands run from here: global `sync` first, so that no step pays for the dirty pages of the one before. */
async function measured(label: string, fn: () => Promise<unknown>): Promise<Row> {
  await run("sync", []);
  const cpu0 = cpuSeconds("self").children;
  const { seconds } = await timed(fn);
  return { label, seconds, cpu: cpuSeconds("self").children - cpu0 };
}

/** A portal transfer: a fresh worker, the service call, until READY; the worker's peak RSS and job time. */
async function throughWorker(
  label: string,
  baseline: Row,
  start: () => Promise<{ objectType: string; objectId: number; done: () => Promise<unknown> }>,
  { s3 = false } = {},
): Promise<Row> {
  const worker = await startWorker(env);
  children.push(worker);
  await run("sync", []);
  const cpu0 = cpuSeconds(worker.pid!);
  const server0 = serverCpu();
  const { seconds, value } = await timed(async () => {
    const started = await start();
    await started.done();
    return started;
  });
  const cpu1 = cpuSeconds(worker.pid!);
  const rss = peakRssMiB(worker.pid!);
  const cpu = cpu1.own + cpu1.children - cpu0.own - cpu0.children;
  const server = serverCpu() - server0;
  await stop(worker);
  const job = await db().job.findFirstOrThrow({
    where: { objectType: value.objectType, objectId: value.objectId },
    orderBy: { id: "desc" },
  });
  const jobSeconds = (job.finishedAt!.getTime() - job.startedAt!.getTime()) / 1000;
  return { label, seconds, baseline, rss, jobSeconds, cpu, serverCpu: s3 ? server : undefined };
}

/** A baseline in bench/s3-sdk.ts: its own timing and peak RSS. */
async function sdk(label: string, args: string[]): Promise<Row> {
  await run("sync", []);
  const server0 = serverCpu();
  const child = spawnTs("bench/s3-sdk.ts", args);
  children.push(child);
  const out = JSON.parse(await lineOf(child, (l) => l.startsWith("{"))) as {
    seconds: number;
    cpuSeconds: number;
    peakRssMiB: number;
  };
  return { label, seconds: out.seconds, rss: out.peakRssMiB, cpu: out.cpuSeconds, serverCpu: serverCpu() - server0 };
}

const publish = (ctx: Ctx, marketplaceId: number, imageId: number) => async () => {
  const app = await retryBusy(() =>
    publishApp({
      ctx,
      input: {
        marketplaceId,
        imageId,
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
  const load = () => db().marketplaceApp.findUniqueOrThrow({ where: { id: app.id } });
  return { objectType: "MARKETPLACE_APP", objectId: app.id, done: () => untilReady(load, "MARKETPLACE_APP") };
};

const importInto = (ctx: Ctx, appId: number, datastoreId: number, name: string) => async () => {
  const { created } = await retryBusy(() =>
    importApp({ ctx, input: { id: appId, datastoreId, name, createVmTemplate: false } }),
  );
  const img = created[0];
  const load = () => db().image.findUniqueOrThrow({ where: { id: img.id } });
  return { objectType: "IMAGE", objectId: img.id, done: () => untilReady(load, "IMAGE") };
};

async function main() {
  console.log(`writing a ${sizeMiB} MiB raw image…`);
  const source = path.join(dir, "source.raw");
  await writeRandomFile(source, sizeMiB);

  const ctx = await bootPortal(env);
  const ds = await createDatastore({
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
  console.log("importing it as an image (not timed)…");
  const server = await serveFile(source);
  servers.push(server);
  const setupWorker = await startWorker(env);
  children.push(setupWorker);
  const image = await createImage({
    ctx,
    input: {
      source: "url",
      url: server.url,
      name: "bench",
      datastoreId: ds.id,
      type: "OS",
      description: "",
      expectedMd5: "",
      expectedSha256: "",
    },
  });
  await untilReady(() => db().image.findUniqueOrThrow({ where: { id: image.id } }), "IMAGE");
  await stop(setupWorker);

  const s3 = spawnTs("bench/s3-server.ts", [path.join(dir, "s3")]);
  children.push(s3);
  const endpoint = (await lineOf(s3, (l) => l.startsWith("S3 "))).slice(3);
  s3Pid = s3.pid!;
  const httpDir = path.join(dir, "market-http");
  const httpMarket = await createMarketplace({
    ctx,
    input: {
      name: "bench-http",
      description: "",
      enabled: true,
      driver: "http",
      config: httpMarketConfig.parse({ publicDir: httpDir }),
    },
  });
  const s3Spec = s3ConfigFor(endpoint, BUCKET);
  const s3Market = await createMarketplace({
    ctx,
    input: {
      name: "bench-s3",
      description: "",
      enabled: true,
      driver: "s3",
      config: { ...s3Spec.config, partSizeMb: PART_MIB },
      secrets: s3Spec.secrets,
    },
  });

  // the periodic monitors would run in the worker beside the transfers: not this hour
  await db().marketplace.updateMany({ data: { monitorDueAt: new Date(Date.now() + 3600_000) } });

  const rows: Row[] = [];
  const copy = path.join(dir, "copy.raw");

  const load0 = loadavg()[0];
  console.log("http: publish…");
  const cp = await measured("`cp` (baseline)", () => run("cp", [source, copy]));
  // what cp left in the page cache still has to reach the disk; the portal fsyncs before commit
  const flush = await timed(() => run("sync", [copy]));
  rmSync(copy);
  const hashed = await measured("`cp` + `md5sum` + `sha256sum` (reference)", async () => {
    await run("cp", [source, copy]);
    await Promise.all([run("md5sum", [copy]), run("sha256sum", [copy])]);
  });
  rmSync(copy);
  const httpPublish = await throughWorker("portal publish", cp, publish(ctx, httpMarket.id, image.id));
  rows.push(cp, { ...hashed, baseline: cp }, httpPublish);
  const httpApp = await db().marketplaceApp.findFirstOrThrow({ where: { marketplaceId: httpMarket.id } });

  console.log("http: import…");
  const cpApp = await measured("`cp` of the app's file (baseline)", () =>
    run("cp", [path.join(httpDir, httpApp.storageKey), copy]),
  );
  rmSync(copy);
  const httpImport = await throughWorker("portal import", cpApp, importInto(ctx, httpApp.id, ds.id, "from-http"));
  rows.push(cpApp, httpImport);

  console.log("s3: publish…");
  const upload = await sdk("SDK multipart `Upload` (baseline)", [
    "upload",
    endpoint,
    BUCKET,
    "baseline-upload",
    source,
    String(PART_MIB),
    String(QUEUE_SIZE),
  ]);
  rows.push(upload, await throughWorker("portal publish", upload, publish(ctx, s3Market.id, image.id), { s3: true }));
  const s3App = await db().marketplaceApp.findFirstOrThrow({ where: { marketplaceId: s3Market.id } });

  console.log("s3: import…");
  const objectKey = `${s3Spec.config.keyPrefix}-${s3App.storageKey}`;
  const get = await sdk("SDK `GetObject` → file (baseline)", ["download", endpoint, BUCKET, objectKey, copy]);
  rmSync(copy);
  rows.push(get, await throughWorker("portal import", get, importInto(ctx, s3App.id, ds.id, "from-s3"), { s3: true }));

  const groups = ["http publish", "", "", "http import", "", "s3 publish", "", "s3 import", ""];
  const sec = (v: number | undefined) => (v === undefined ? "" : `${v.toFixed(2)} s`);
  const table = [
    ["", "", "time", "rate", "vs baseline", "in the job", "CPU", "S3 server CPU", "peak RSS"],
    ...rows.map((r, i) => [
      groups[i],
      r.label,
      sec(r.seconds),
      `${(sizeMiB / r.seconds).toFixed(0)} MiB/s`,
      r.baseline ? (r.seconds / r.baseline.seconds).toFixed(2) : "1.00",
      sec(r.jobSeconds),
      sec(r.cpu),
      sec(r.serverCpu),
      r.rss === undefined ? "" : `${r.rss.toFixed(0)} MiB`,
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(3, ...table.map((row) => row[c].length)));
  const line = (cells: string[]) => `| ${cells.map((v, c) => v.padEnd(widths[c])).join(" | ")} |`;
  console.log(
    `\n${sizeMiB} MiB raw image; s3: ${PART_MIB} MiB parts, ${QUEUE_SIZE} in flight; imports into an \`any\` datastore ` +
      `(no conversion); load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end\n`,
  );
  console.log(line(table[0]));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of table.slice(1)) console.log(line(row));
  console.log(
    `\nhttp against cp + md5sum + sha256sum: publish ${(httpPublish.seconds / hashed.seconds).toFixed(2)}, ` +
      `import ${(httpImport.seconds / hashed.seconds).toFixed(2)}; ` +
      `\`sync\` of cp's copy afterwards (the portal fsyncs before commit): ${flush.seconds.toFixed(2)} s`,
  );
  console.log(
    "CPU: user + system seconds of the process that moved the bytes (commands: all of them; " +
      "the worker: with its md5 thread and qemu-img); S3 server: s3rver meanwhile",
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children) await stop(child).catch(() => {});
    for (const server of servers) await server.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
