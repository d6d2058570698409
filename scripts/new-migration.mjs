// Authors a migration for both providers, offline: diffs the schema snapshot kept in the
// newest migration folder against the current models. Usage: npm run db:new-migration -- <name>
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeSchemas } from "./prisma-schemas.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name>");
  process.exit(2);
}
writeSchemas();
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
for (const provider of ["sqlite", "postgres"]) {
  const dir = join("prisma", "migrations", provider);
  const previous = readdirSync(dir).sort().at(-1);
  const sql = execFileSync(
    "npx",
    [
      "prisma",
      "migrate",
      "diff",
      "--from-schema-datamodel",
      join(dir, previous, "schema.prisma"),
      "--to-schema-datamodel",
      join("prisma", provider, "schema.prisma"),
      "--script",
    ],
    { env: { ...process.env, BAZAAR_PRISMA_PROVIDER: provider }, encoding: "utf8" },
  );
  const target = join(dir, `${stamp}_${name}`);
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, "migration.sql"), sql);
  copyFileSync(join("prisma", provider, "schema.prisma"), join(target, "schema.prisma"));
  console.log(`wrote ${target}/migration.sql`);
}
