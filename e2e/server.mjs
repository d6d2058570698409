// Starts the production build on a fresh data directory for the end-to-end tests.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const port = process.argv[2] ?? "3123";
const dataDir = mkdtempSync(join(tmpdir(), "bazaar-e2e-"));
const server = spawn(process.execPath, ["scripts/server.mjs"], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: port,
    BAZAAR_DATA_DIR: dataDir,
    DATABASE_URL: "",
    BAZAAR_ADMIN_PASSWORD: "e2e-admin-password",
    BAZAAR_ZONE: "e2e-zone",
    // the specs serve their disk images from loopback
    BAZAAR_URL_ALLOW: "127.0.0.0/8",
  },
});
const stop = () => {
  server.kill("SIGTERM");
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => {
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
