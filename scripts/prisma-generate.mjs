// Writes the per-provider schemas and generates both Prisma clients (runs after npm install).
import { execFileSync } from "node:child_process";
import { writeSchemas } from "./prisma-schemas.mjs";

writeSchemas();
for (const provider of ["sqlite", "postgres"]) {
  execFileSync("npx", ["prisma", "generate"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, BAZAAR_PRISMA_PROVIDER: provider, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
}
