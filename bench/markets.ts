/**
 * Benchmark: publish an image to an http and an s3 marketplace and import it back, through
 * the portal's job worker, each against a baseline in the same run:
 *  - http publish and import against `cp` of the same bytes onto the same disk, and `cp`
 *    followed by `openssl md5` and `openssl sha256` (the hashing the portal does; openssl uses
 *    the CPU's SHA instructions, coreutils' sha256sum here does not);
 *  - s3 publish against a direct multipart upload with @aws-sdk/lib-storage (the driver's part
 *    size, queue size and client settings), s3 import against GetObject streamed into a file.
 * Two S3 services, each in a process of its own: a null sink (bench/s3-null.ts: reads and
 * discards the bytes, so a publish measures the uploader, not the service) and s3rver
 * (bench/s3-server.ts: stores them; also the source of the s3 import). Imports go into a
 * datastore that takes any format, so no conversion is timed. Each portal transfer runs in a
 * fresh worker process (`npm run worker`); SDK baselines run in a process of their own too
 * (bench/s3-sdk.ts). Every step starts after a global `sync`. Printed per step: the time (portal:
 * from the service call to READY, and the job's own run time), the rate, the ratio against its
 * baseline, the CPU seconds of the process that moved the bytes and of the S3 server, and the
 * resident memory of the process that moved them: idle before the transfer, peak during it, and
 * peak − idle (what the transfer added).
 *
 *   npm run bench:markets -- [size in MiB, default 2048] [--runs N, default 1]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { createImage } from "@/lib/images/create-image";
import { createMarketplace } from "@/lib/markets/create-marketplace";
import { publishApp } from "@/lib/apps/publish-app";
import { importApp } from "@/lib/apps/import-app";
import { s3ConfigFor } from "@/tests/support/s3";
import {
  benchEnv,
  bootPortal,
  cpuSeconds,
  createBenchDatastore,
  createBenchHttpMarket,
  formatSpread,
  lineOf,
  option,
  peakRssMiB,
  printTable,
  resetPeakRss,
  retryBusy,
  rssMiB,
  run,
  serveFile,
  spawnTs,
  spread,
  startWorker,
  stop,
  timed,
  untilReady,
  writeRandomFile,
} from "./lib";

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--"));
const sizeMiB = Number(positional[0] ?? 2048);
const runs = Number(option("runs") ?? 1);
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
  /** resident memory of the process that moved the bytes before the transfer, and its peak during it, MiB */
  idle?: number;
  rss?: number;
  /** the worker's own run time of the job (from claim to finish) */
  jobSeconds?: number;
  /** CPU seconds of the process(es) that moved the bytes (commands: all of them) */
  cpu?: number;
  /** CPU seconds of the S3 server meanwhile */
  serverCpu?: number;
}

/** the S3 server the step at hand talks to (its CPU is measured) */
let s3Pid = 0;
const serverCpu = () => (s3Pid ? cpuSeconds(s3Pid).own : 0);

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
  const idle = rssMiB(worker.pid!);
  resetPeakRss(worker.pid!);
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
  return { label, seconds, baseline, idle, rss, jobSeconds, cpu, serverCpu: s3 ? server : undefined };
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
    idleRssMiB: number;
    peakRssMiB: number;
  };
  return {
    label,
    seconds: out.seconds,
    idle: out.idleRssMiB,
    rss: out.peakRssMiB,
    cpu: out.cpuSeconds,
    serverCpu: serverCpu() - server0,
  };
}

const publish = (ctx: Ctx, marketplaceId: number, imageId: number, name: string) => async () => {
  const app = await retryBusy(() =>
    publishApp({
      ctx,
      input: {
        marketplaceId,
        imageId,
        name,
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
  const ds = await createBenchDatastore(ctx);
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
  const httpMarket = await createBenchHttpMarket(ctx, httpDir);
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

  const nullS3 = spawnTs("bench/s3-null.ts", []);
  children.push(nullS3);
  const nullEndpoint = (await lineOf(nullS3, (l) => l.startsWith("S3 "))).slice(3);
  const nullSpec = s3ConfigFor(nullEndpoint, BUCKET);
  const nullMarket = await createMarketplace({
    ctx,
    input: {
      name: "bench-s3-null",
      description: "",
      enabled: true,
      driver: "s3",
      config: { ...nullSpec.config, partSizeMb: PART_MIB },
      secrets: nullSpec.secrets,
    },
  });
  // the periodic monitors would run in the worker beside the transfers: not this hour
  await db().marketplace.updateMany({ data: { monitorDueAt: new Date(Date.now() + 3600_000) } });

  const copy = path.join(dir, "copy.raw");
  const hashCopy = async () => {
    await Promise.all([run("openssl", ["md5", copy]), run("openssl", ["sha256", copy])]);
  };
  const load0 = loadavg()[0];
  const all: Row[][] = [];
  const flushes: number[] = [];
  for (let i = 1; i <= runs; i++) {
    const rows: Row[] = [];
    const name = `bench-${i}`;
    console.log(`run ${i} of ${runs}: http publish…`);
    s3Pid = 0;
    const cp = await measured("`cp` (baseline)", () => run("cp", [source, copy]));
    // what cp left in the page cache still has to reach the disk; the portal fsyncs before commit
    flushes.push((await timed(() => run("sync", [copy]))).seconds);
    rmSync(copy);
    const hashed = await measured("`cp` + `openssl md5` + `openssl sha256`", async () => {
      await run("cp", [source, copy]);
      await hashCopy();
    });
    rmSync(copy);
    rows.push(cp, { ...hashed, baseline: cp });
    rows.push(await throughWorker("portal publish", cp, publish(ctx, httpMarket.id, image.id, name)));
    const httpApp = await db().marketplaceApp.findFirstOrThrow({ where: { marketplaceId: httpMarket.id, name } });

    console.log(`run ${i} of ${runs}: http import…`);
    const appFile = path.join(httpDir, httpApp.storageKey);
    const cpApp = await measured("`cp` of the app's file (baseline)", () => run("cp", [appFile, copy]));
    rmSync(copy);
    const hashedApp = await measured("`cp` + `openssl md5` + `openssl sha256`", async () => {
      await run("cp", [appFile, copy]);
      await hashCopy();
    });
    rmSync(copy);
    rows.push(cpApp, { ...hashedApp, baseline: cpApp });
    rows.push(await throughWorker("portal import", cpApp, importInto(ctx, httpApp.id, ds.id, `from-http-${i}`)));

    console.log(`run ${i} of ${runs}: s3 publish (null sink)…`);
    s3Pid = nullS3.pid!;
    const nullArgs = [nullEndpoint, BUCKET, `baseline-${i}`, source, String(PART_MIB), String(QUEUE_SIZE)];
    const nullUpload = await sdk("SDK multipart `Upload` (baseline)", ["upload", ...nullArgs]);
    rows.push(nullUpload);
    rows.push(
      await throughWorker("portal publish", nullUpload, publish(ctx, nullMarket.id, image.id, name), { s3: true }),
    );

    console.log(`run ${i} of ${runs}: s3 publish (s3rver)…`);
    s3Pid = s3.pid!;
    const upload = await sdk("SDK multipart `Upload` (baseline)", [
      "upload",
      endpoint,
      BUCKET,
      `baseline-${i}`,
      source,
      String(PART_MIB),
      String(QUEUE_SIZE),
    ]);
    rows.push(upload);
    rows.push(await throughWorker("portal publish", upload, publish(ctx, s3Market.id, image.id, name), { s3: true }));
    const s3App = await db().marketplaceApp.findFirstOrThrow({ where: { marketplaceId: s3Market.id, name } });

    console.log(`run ${i} of ${runs}: s3 import (s3rver)…`);
    const objectKey = `${s3Spec.config.keyPrefix}-${s3App.storageKey}`;
    const get = await sdk("SDK `GetObject` → file (baseline)", ["download", endpoint, BUCKET, objectKey, copy]);
    rmSync(copy);
    rows.push(get);
    rows.push(
      await throughWorker("portal import", get, importInto(ctx, s3App.id, ds.id, `from-s3-${i}`), { s3: true }),
    );
    all.push(rows);
  }

  const groups = [
    "http publish",
    "",
    "",
    "http import",
    "",
    "",
    "s3 publish, null sink",
    "",
    "s3 publish, s3rver",
    "",
    "s3 import, s3rver",
    "",
  ];
  /** one column of row `r` over the runs, as median (min–max) */
  const over = (r: number, f: (row: Row) => number | undefined, digits: number, unit: string) => {
    const values = all.map((rows) => f(rows[r])).filter((v): v is number => v !== undefined);
    return values.length ? formatSpread(values, digits, unit) : "";
  };
  console.log(
    `\n${sizeMiB} MiB raw image, ${runs} run(s): median (min–max); s3: ${PART_MIB} MiB parts, ${QUEUE_SIZE} in flight; ` +
      `imports into an \`any\` datastore (no conversion); load average ${load0.toFixed(1)} at the start, ` +
      `${loadavg()[0].toFixed(1)} at the end\n`,
  );
  printTable([
    ["", "", "time", "vs baseline", "in the job", "CPU", "S3 server CPU", "idle RSS", "peak RSS", "peak − idle"],
    ...all[0].map((row, r) => [
      groups[r],
      row.label,
      over(r, (x) => x.seconds, 2, " s"),
      row.baseline ? over(r, (x) => x.seconds / x.baseline!.seconds, 2, "") : "1.00",
      over(r, (x) => x.jobSeconds, 2, " s"),
      over(r, (x) => x.cpu, 1, " s"),
      over(r, (x) => x.serverCpu, 1, " s"),
      over(r, (x) => x.idle, 0, " MiB"),
      over(r, (x) => x.rss, 0, " MiB"),
      over(r, (x) => (x.rss === undefined || x.idle === undefined ? undefined : x.rss - x.idle), 0, " MiB"),
    ]),
  ]);
  const vsHashed = (portal: number, hashed: number) =>
    formatSpread(
      all.map((rows) => rows[portal].seconds / rows[hashed].seconds),
      2,
    );
  console.log(
    `\nhttp against cp + openssl: publish ${vsHashed(2, 1)}, import ${vsHashed(5, 4)}; ` +
      `\`sync\` of cp's copy afterwards (the portal fsyncs before commit): ${formatSpread(flushes, 2, " s")} ` +
      `(median ${spread(flushes).median.toFixed(2)} s)`,
  );
  console.log(
    "CPU: user + system seconds of the process that moved the bytes (commands: all of them; " +
      "the worker: with its md5 thread and qemu-img); S3 server: the null sink or s3rver meanwhile. " +
      "RSS: VmRSS before the transfer, VmHWM during it (reset when it starts)",
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
