// `npm start`: builds the portal when there is no build of the current sources yet, then
// starts it (scripts/server.mjs) in this very process: `npm start` leaves one server process
// (npm's script runs it with `exec`, so no shell stays between npm and it; `node
// scripts/start.mjs` runs it with no npm at all). Migrations, the local zone and the first
// admin are set up by the server itself on start (instrumentation.ts → lib/boot/boot.ts), and
// the job worker runs inside it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

// qemu-img, bzip2 and xz for image imports (installed when running as root on Debian)
const deps = spawnSync("bash", ["scripts/system-deps.sh"], { stdio: "inherit" });
if (deps.status !== 0) process.exit(deps.status ?? 1);

if (!existsSync(".next/BUILD_ID") || process.argv.includes("--rebuild")) {
  console.log("[bazaar] building the portal (first start only; `npm start -- --rebuild` to rebuild)…");
  // Next.js's own entry point, run by this node: no `npx`/`npm exec` wrapper process
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const r = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// in this process, so that signals reach the server's own graceful stop
await import("./server.mjs");
