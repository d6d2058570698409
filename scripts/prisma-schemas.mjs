// Writes prisma/{sqlite,postgres}/schema.prisma from prisma/models.prisma.
// Prisma binds a generated client to one provider, so each provider gets its own
// schema and client; the models stay in one file.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const models = readFileSync(join(root, "prisma/models.prisma"), "utf8");

const providers = {
  sqlite: "file:./dev.db",
  postgresql: "postgresql://postgres@127.0.0.1:5432/bazaar",
};

export function schemaFor(provider) {
  const dir = provider === "postgresql" ? "postgres" : "sqlite";
  return `// GENERATED from prisma/models.prisma by scripts/prisma-schemas.mjs — do not edit.

generator client {
  provider        = "prisma-client-js"
  output          = "../../lib/db/generated/${dir}"
  engineType      = "client"
}

datasource db {
  provider = "${provider}"
  url      = "${providers[provider]}"
}

${models}`;
}

export function writeSchemas() {
  for (const provider of Object.keys(providers)) {
    const dir = join(root, "prisma", provider === "postgresql" ? "postgres" : "sqlite");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "schema.prisma"), schemaFor(provider));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeSchemas();
