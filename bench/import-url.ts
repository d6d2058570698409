/**
 * Benchmark: import a file from a local HTTP server into an fs datastore through the portal's
 * job worker, against `curl -o` of the same URL onto the same disk, in the same run, and
 * against curl followed by md5sum and sha256sum (the same hashing work the portal does).
 * Reports the times, the ratios, and the worker process's peak RSS.
 *
 *   npm run bench -- [size in MiB, default 2048]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { db } from "@/lib/db/client";
import { createDatastore } from "@/lib/datastores/create-datastore";
import { createImage } from "@/lib/images/create-image";
import {
  benchEnv,
  bootPortal,
  mib,
  peakRssMiB,
  run,
  serveFile,
  startWorker,
  stop,
  timed,
  untilReady,
  writeRandomFile,
} from "./lib";

const sizeMiB = Number(process.argv[2] ?? 2048);
const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "bazaar-bench-"));
const env = benchEnv(path.join(dir, "data"));

async function main() {
  console.log(`writing a ${sizeMiB} MiB source file of random bytes…`);
  const source = path.join(dir, "source.raw");
  await writeRandomFile(source, sizeMiB);
  const server = await serveFile(source);

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

  // baseline: curl onto the same disk
  const curlTarget = path.join(dir, "curl.raw");
  const curl = await timed(() => run("curl", ["-sS", "-o", curlTarget, server.url]));
  rmSync(curlTarget);
  // the same work the portal does with coreutils: download, then md5 and sha256 of the file
  const hashed = await timed(async () => {
    await run("curl", ["-sS", "-o", curlTarget, server.url]);
    await Promise.all([run("md5sum", [curlTarget]), run("sha256sum", [curlTarget])]);
  });
  rmSync(curlTarget);

  const worker = await startWorker(env);
  const portal = await timed(async () => {
    const img = await createImage({
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
    return untilReady(() => db().image.findUniqueOrThrow({ where: { id: img.id } }), "IMAGE");
  });
  const peak = peakRssMiB(worker.pid!); // VmHWM: the high-water mark of the whole run
  await stop(worker);
  await server.close();

  const rate = (s: number) => `${(sizeMiB / s).toFixed(0)} MiB/s`;
  console.log(`\nimport of ${sizeMiB} MiB over loopback HTTP into an fs datastore`);
  console.log(`  curl -o            ${curl.seconds.toFixed(2)} s  (${rate(curl.seconds)})`);
  console.log(
    `  portal URL import  ${portal.seconds.toFixed(2)} s  (${rate(portal.seconds)}; md5+sha256, format detection, commit)`,
  );
  console.log(`  curl + md5sum + sha256sum  ${hashed.seconds.toFixed(2)} s  (${rate(hashed.seconds)})`);
  console.log(`  ratio portal/curl  ${(portal.seconds / curl.seconds).toFixed(2)}`);
  console.log(`  ratio portal/(curl + md5sum + sha256sum)  ${(portal.seconds / hashed.seconds).toFixed(2)}`);
  console.log(
    `  worker peak RSS    ${peak.toFixed(0)} MiB  (source ${mib(Number(portal.value.sizeBytes)).toFixed(0)} MiB)`,
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
