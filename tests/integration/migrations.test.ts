import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { loadMigrations, migrate, migrationsDir } from "@/lib/db/migrate";
import { PROJECT_ROOT } from "../helpers/routes";

const provider = () => getConfig().databaseProvider;
const providerDir = () => (provider() === "postgresql" ? "postgres" : "sqlite");

async function appliedMigrations(): Promise<string[]> {
  const rows = await db().$queryRawUnsafe<{ name: string }[]>("SELECT name FROM _bazaar_migrations ORDER BY name");
  return rows.map((r) => r.name);
}

describe("migrations", () => {
  it("boot applied every checked-in migration, in order", async () => {
    const names = readdirSync(migrationsDir(provider()), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(names.length).toBeGreaterThan(0);
    expect(await appliedMigrations()).toEqual(names);
  });

  it("applying them again is a no-op", async () => {
    const before = await db().user.count();
    expect(await migrate(getConfig())).toEqual([]);
    expect(await migrate(getConfig())).toEqual([]);
    expect(await db().user.count()).toBe(before);
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const [first] = loadMigrations(migrationsDir(provider()));
    await db().$executeRawUnsafe(`UPDATE _bazaar_migrations SET checksum = 'edited' WHERE name = '${first.name}'`);
    try {
      await expect(migrate(getConfig())).rejects.toThrow(`Migration ${first.name} was changed after it was applied`);
    } finally {
      await db().$executeRawUnsafe(
        `UPDATE _bazaar_migrations SET checksum = '${first.checksum}' WHERE name = '${first.name}'`,
      );
    }
    expect(await migrate(getConfig())).toEqual([]);
  });

  it("the newest migration's schema snapshot matches the current models (a migration was authored)", async () => {
    const dir = migrationsDir(provider());
    const newest = readdirSync(dir).sort().at(-1)!;
    const snapshot = readFileSync(path.join(dir, newest, "schema.prisma"), "utf8");
    const generated = readFileSync(path.join(PROJECT_ROOT, "prisma", providerDir(), "schema.prisma"), "utf8");
    // the schema as `npm run db:schema` would write it now, from prisma/models.prisma
    const script = pathToFileURL(path.join(PROJECT_ROOT, "scripts", "prisma-schemas.mjs")).href;
    const { schemaFor } = (await import(/* @vite-ignore */ script)) as { schemaFor: (p: string) => string };
    const fromModels = schemaFor(provider());
    const hint = `prisma/models.prisma changed after ${newest}: run \`npm run db:new-migration -- <name>\``;
    expect(generated, "prisma/" + providerDir() + "/schema.prisma is stale: run `npm run db:schema`").toBe(fromModels);
    expect(snapshot, hint).toBe(fromModels);
  });
});
