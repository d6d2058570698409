// `npm start`: builds the portal when there is no build of the current sources yet, then
// starts it (scripts/server.mjs). Migrations, the local zone and the first admin are set up by
// the server itself on start (instrumentation.ts → lib/boot/boot.ts).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const run = (args) => {
  const r = spawnSync("npx", args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

// qemu-img, bzip2 and xz for image imports (installed when running as root on Debian)
const deps = spawnSync("bash", ["scripts/system-deps.sh"], { stdio: "inherit" });
if (deps.status !== 0) process.exit(deps.status ?? 1);

if (!existsSync(".next/BUILD_ID") || process.argv.includes("--rebuild")) {
  console.log("[bazaar] building the portal (first start only; `npm start -- --rebuild` to rebuild)…");
  run(["next", "build"]);
}
// in this process, so that signals reach the server's own graceful stop
await import("./server.mjs");
