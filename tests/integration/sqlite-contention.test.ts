import { once } from "node:events";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { signInAdmin, type ApiClient, type ApiResponse } from "../helpers/api";
import { apiDatastore } from "../support/images";
import { spawnScript } from "../support/instances";

/**
 * SQLite with a worker in a process of its own (`npm run worker`): while that process keeps
 * writing the same file, API writes that read first (an image's create checks its name) never
 * fail for contention. A deferred transaction there ended in SQLITE_BUSY_SNAPSHOT, a 500.
 * The portal's transactions begin IMMEDIATE (lib/db/immediate-transactions.ts); the tests
 * run on the sqlite project only, on its database.
 */
const REQUESTS = 240;
const CONCURRENCY = 4;

describe.runIf(process.env.BAZAAR_TEST_DB === "sqlite")("SQLite shared with a writing process", () => {
  let admin: ApiClient;
  let datastoreId: number;
  beforeAll(async () => {
    admin = await signInAdmin();
    datastoreId = (await apiDatastore(admin, "contention")).id;
  });

  let writer: ReturnType<typeof spawnScript> | undefined;
  afterAll(() => {
    writer?.kill("SIGKILL");
  });

  it("answers every image create without a 500 while the other process commits", async () => {
    writer = spawnScript("tests/support/sqlite-writer.ts", {
      DATABASE_URL: getConfig().databaseUrl,
      BAZAAR_DATA_DIR: getConfig().dataDir,
    });
    let stdout = "";
    let stderr = "";
    writer.stdout!.on("data", (d) => (stdout += d));
    writer.stderr!.on("data", (d) => (stderr += d));
    const exited = once(writer, "exit");
    await new Promise<void>((resolve, reject) => {
      const check = () => (stdout.includes("ready") ? resolve() : undefined);
      writer!.stdout!.on("data", check);
      void exited.then(() => reject(new Error(`the writer ended early: ${stdout}${stderr}`)));
    });

    const failures: ApiResponse[] = [];
    let created = 0;
    let next = 0;
    const client = async () => {
      while (next < REQUESTS) {
        const i = next++;
        const res = await admin.post("/api/v1/images", {
          source: "upload",
          name: `contended-${i}`,
          datastoreId,
          size: 1024,
          type: "DATABLOCK",
        });
        if (res.status === 201) created++;
        else failures.push(res);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));

    writer.kill("SIGTERM");
    await exited;
    const report = JSON.parse(stdout.trim().split("\n").at(-1)!) as { committed: number; errors: string[] };

    expect(
      failures.map((f) => f.status),
      failures[0]?.text,
    ).toEqual([]);
    expect(created).toBe(REQUESTS);
    expect(report.errors).toEqual([]);
    // the two processes did overlap: the writer committed all along
    expect(report.committed).toBeGreaterThan(REQUESTS / 4);
  }, 60_000);
});

describe.runIf(process.env.BAZAAR_TEST_DB === "sqlite")("a SQLite transaction of the portal", () => {
  it("holds the write lock from its start, so no other connection writes between its read and its write", async () => {
    const other = new Database(getConfig().sqlitePath!, { timeout: 0 });
    try {
      const attempt = await db().$transaction(async (tx) => {
        await tx.zone.count();
        try {
          other.exec("BEGIN IMMEDIATE");
          other.exec("ROLLBACK");
          return "the other connection could write";
        } catch (err) {
          return (err as { code?: string }).code;
        }
      });
      expect(attempt).toBe("SQLITE_BUSY");
      other.exec("BEGIN IMMEDIATE"); // and it lets go at its end
      other.exec("ROLLBACK");
    } finally {
      other.close();
    }
  });

  it("lets the next transaction in after a COMMIT that failed", async () => {
    // a deferred foreign key fails at COMMIT, which leaves SQLite's transaction open
    await expect(
      db().$transaction(async (tx) => {
        await tx.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON");
        await tx.$executeRawUnsafe(`INSERT INTO "GroupMembership" ("userId", "groupId") VALUES (-1, -1)`);
        expect(await tx.groupMembership.count({ where: { userId: -1 } })).toBe(1); // accepted until COMMIT
      }),
    ).rejects.toThrow("ForeignKeyConstraintViolation");
    // a connection left inside the failed transaction would make every later one wait for ever
    const stuck = new Promise((resolve) => setTimeout(() => resolve("no transaction can start"), 5_000).unref());
    expect(await Promise.race([db().$transaction((tx) => tx.zone.count()), stuck])).toBeGreaterThan(0);
    expect(await db().groupMembership.count({ where: { userId: -1 } })).toBe(0);
  });
});
