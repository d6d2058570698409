/**
 * Benchmark: import a file from a local HTTP server into an fs datastore through the portal's
 * job worker (a process of its own), against, in the same run:
 *  - `curl -o` of the same URL onto the same disk;
 *  - `curl | tee >(openssl md5) >(openssl sha256) > file`: the download with the two digests
 *    the portal computes on the way (openssl uses the CPU's SHA instructions; coreutils'
 *    sha256sum here does not and is 5–7 times slower). Named pipes stand in for the process
 *    substitutions, so that the time includes both digests to their end.
 * Reports the times and ratios, and the worker's resident memory: idle (before the job), peak
 * during the job, and peak − idle, which is what the transfer added.
 *
 *   npm run bench -- [size in MiB, default 2048; a list `256,4096` for several] [--runs N (default 1)]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { createImage } from "@/lib/images/create-image";
import { deleteImage } from "@/lib/images/delete-image";
import {
  benchEnv,
  bootPortal,
  createBenchDatastore,
  formatSpread,
  option,
  peakRssMiB,
  printTable,
  resetPeakRss,
  rssMiB,
  run,
  runShell,
  serveFile,
  startWorker,
  stop,
  timed,
  untilReady,
  writeRandomFile,
} from "./lib";

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--"));
const sizes = (positional[0] ?? "2048").split(",").map(Number);
const runs = Number(option("runs") ?? 1);
const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "bazaar-bench-"));
const env = benchEnv(path.join(dir, "data"));
const children: ChildProcess[] = [];

interface Run {
  curl: number;
  hashed: number;
  portal: number;
  idle: number;
  peak: number;
  /** from the enqueue to the worker's claim, and from the claim to the job's end */
  queued: number;
  job: number;
}

async function importOnce(ctx: Ctx, datastoreId: number, url: string, name: string): Promise<Run> {
  const target = path.join(dir, "curl.raw");
  await run("sync", []);
  const curl = await timed(() => run("curl", ["-sS", "-o", target, url]));
  rmSync(target);
  await run("sync", []);
  const md5Pipe = path.join(dir, "md5.fifo");
  const shaPipe = path.join(dir, "sha256.fifo");
  const hashed = await timed(() =>
    runShell(
      `mkfifo ${md5Pipe} ${shaPipe}; openssl md5 < ${md5Pipe} > /dev/null & openssl sha256 < ${shaPipe} > /dev/null & ` +
        `curl -sS ${url} | tee ${md5Pipe} ${shaPipe} > ${target}; wait`,
    ),
  );
  rmSync(target);
  rmSync(md5Pipe);
  rmSync(shaPipe);

  const worker = await startWorker(env);
  children.push(worker);
  await run("sync", []);
  const idle = rssMiB(worker.pid!);
  resetPeakRss(worker.pid!);
  const portal = await timed(async () => {
    const img = await createImage({
      ctx,
      input: {
        source: "url",
        url,
        name,
        datastoreId,
        type: "OS",
        description: "",
        expectedMd5: "",
        expectedSha256: "",
      },
    });
    return untilReady(() => db().image.findUniqueOrThrow({ where: { id: img.id } }), "IMAGE");
  });
  const peak = peakRssMiB(worker.pid!);
  await stop(worker);
  const job = await db().job.findFirstOrThrow({
    where: { objectType: "IMAGE", objectId: portal.value.id },
    orderBy: { id: "desc" },
  });
  const queued = (job.startedAt!.getTime() - job.createdAt.getTime()) / 1000;
  const jobSeconds = (job.finishedAt!.getTime() - job.startedAt!.getTime()) / 1000;
  // the next run starts with the space back
  await deleteImage({ ctx, input: { id: portal.value.id } });
  return { curl: curl.seconds, hashed: hashed.seconds, portal: portal.seconds, idle, peak, queued, job: jobSeconds };
}

async function main() {
  const ctx = await bootPortal(env);
  const ds = await createBenchDatastore(ctx);
  const load0 = loadavg()[0];
  const results: { sizeMiB: number; runs: Run[] }[] = [];
  for (const sizeMiB of sizes) {
    console.log(`writing a ${sizeMiB} MiB source file of random bytes…`);
    const source = path.join(dir, "source.raw");
    await writeRandomFile(source, sizeMiB);
    const server = await serveFile(source);
    const done: Run[] = [];
    for (let i = 1; i <= runs; i++) {
      console.log(`${sizeMiB} MiB: run ${i} of ${runs}…`);
      done.push(await importOnce(ctx, ds.id, server.url, `bench-${sizeMiB}-${i}`));
    }
    await server.close();
    rmSync(source);
    results.push({ sizeMiB, runs: done });
  }

  console.log(
    `\nURL import over loopback HTTP into an fs datastore; ${runs} run(s) per size, median (min–max); ` +
      `load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end\n`,
  );
  const col = (rs: Run[], f: (r: Run) => number, digits = 2, unit = "") => formatSpread(rs.map(f), digits, unit);
  printTable([
    ["size", "what", "time", "rate", "portal / this"],
    ...results.flatMap(({ sizeMiB, runs: rs }) => [
      [
        `${sizeMiB} MiB`,
        "`curl -o`",
        col(rs, (r) => r.curl, 2, " s"),
        col(rs, (r) => sizeMiB / r.curl, 0, " MiB/s"),
        col(rs, (r) => r.portal / r.curl),
      ],
      [
        "",
        "`curl | tee >(openssl md5) >(openssl sha256) > file`",
        col(rs, (r) => r.hashed, 2, " s"),
        col(rs, (r) => sizeMiB / r.hashed, 0, " MiB/s"),
        col(rs, (r) => r.portal / r.hashed),
      ],
      [
        "",
        "portal URL import (md5 + sha256, format probe, fsync, commit)",
        col(rs, (r) => r.portal, 2, " s"),
        col(rs, (r) => sizeMiB / r.portal, 0, " MiB/s"),
        "",
      ],
      [
        "",
        "… of which: queued (until the worker, another process, is woken), then the job",
        `${col(rs, (r) => r.queued, 2, " s")}, ${col(rs, (r) => r.job, 2, " s")}`,
        "",
        "",
      ],
    ]),
  ]);
  console.log("\nworker resident memory (VmRSS before the job; VmHWM during it, reset when the job starts)\n");
  printTable([
    ["size", "idle", "peak", "peak − idle"],
    ...results.map(({ sizeMiB, runs: rs }) => [
      `${sizeMiB} MiB`,
      col(rs, (r) => r.idle, 0, " MiB"),
      col(rs, (r) => r.peak, 0, " MiB"),
      col(rs, (r) => r.peak - r.idle, 0, " MiB"),
    ]),
  ]);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children) await stop(child).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
