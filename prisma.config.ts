import path from "node:path";
import { defineConfig } from "prisma/config";

/**
 * Prisma CLI configuration (generate and `migrate diff` only; migrations are applied by
 * lib/db/migrate.ts). The JS engine avoids the Rust binaries that cannot be downloaded here.
 * BAZAAR_PRISMA_PROVIDER selects the schema: "sqlite" (default) or "postgres".
 */
const provider = process.env.BAZAAR_PRISMA_PROVIDER === "postgres" ? "postgres" : "sqlite";

export default defineConfig({
  schema: path.join("prisma", provider, "schema.prisma"),
  engine: "js",
  experimental: { adapter: true },
  async adapter() {
    if (provider === "postgres") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({
        connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
      });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url: "file::memory:" });
  },
});
