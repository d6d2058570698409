/**
 * Benchmark: import a file from a local HTTP server into an fs datastore through the portal's
 * job worker, against `curl -o` of the same URL onto the same disk, in the same run, and
 * against curl followed by md5sum and sha256sum (the same hashing work the portal does).
 * Reports the times, the ratios, and the worker process's peak RSS.
 *
 *   npm run bench -- [size in MiB, default 2048]
 */
import { mkdtempSync, rmSync, createWriteStream } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { parseConfig, setConfigForTests } from "@/lib/config";
import { boot } from "@/lib/boot/boot";
import { db } from "@/lib/db/client";
import { loadCtxUser } from "@/lib/auth/load-user";
import { localZone } from "@/lib/zones/local-zone";
import { createDatastore } from "@/lib/datastores/create-datastore";
import { createImage } from "@/lib/images/create-image";
import { mib, peakRssMiB, run, serveFile, startWorker, timed } from "./lib";

const sizeMiB = Number(process.argv[2] ?? 2048);
const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "bazaar-bench-"));
const env = {
  ...process.env,
  BAZAAR_DATA_DIR: path.join(dir, "data"),
  DATABASE_URL: "",
  BAZAAR_ADMIN_PASSWORD: "bench-password",
  BAZAAR_URL_ALLOW: "127.0.0.0/8",
  BAZAAR_WORKER_CONCURRENCY: "1",
  NODE_ENV: "production" as const,
};

async function main() {
  console.log(`writing a ${sizeMiB} MiB source file of random bytes…`);
  const source = path.join(dir, "source.raw");
  const out = createWriteStream(source);
  for (let i = 0; i < sizeMiB; i++) if (!out.write(randomBytes(1024 * 1024))) await once(out, "drain");
  out.end();
  await once(out, "finish");
  const server = await serveFile(source);

  setConfigForTests(parseConfig(env));
  await boot(() => {});
  const admin = (await db().user.findFirstOrThrow({ where: { username: "admin" } })).id;
  const ctx = {
    user: (await loadCtxUser(db(), admin))!,
    zone: await localZone(),
    requestId: "bench",
    via: "system" as const,
  };
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

  const worker = startWorker(env);
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, peakRssMiB(worker.pid!));
    } catch {
      /* exited */
    }
  }, 200);
  await new Promise((r) => setTimeout(r, 3000)); // let the worker boot before the clock starts
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
    for (;;) {
      const row = await db().image.findUniqueOrThrow({ where: { id: img.id } });
      if (row.state === "READY") return row;
      if (row.state === "ERROR") throw new Error(row.error);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  clearInterval(sampler);
  worker.kill("SIGTERM");
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
