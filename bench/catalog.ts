/**
 * Benchmark: the catalog with N apps (default 100,000), on SQLite and on PostgreSQL. Seeds a
 * fresh temporary database (lib/seed/seed-apps.ts, as `npm run seed:apps` does; on PostgreSQL
 * a throwaway database, dropped afterwards) and times, as a non-admin user who may use most
 * apps (seed-alice: owner, two groups, "other"), a filtered page, page 1, a deep page (page
 * 1000, by offset and by cursor) and the facets, plus an admin's page 1 as the reference: in
 * process, after a warm-up, median and p95 of 50 runs each. Every row is timed three ways: the
 * catalog as it answered before its index (lib/apps/list-apps-reference.ts, the baseline,
 * measured in the same run), the service alone, and as the API answers (the response parsed
 * through its public DTO and serialised to JSON). Target: API p95 ≤ 50 ms for each user row.
 *
 *   npm run bench:catalog -- [count of apps, default 100000]
 *   BENCH_DB=sqlite|postgres|both (default both); BENCH_PG_URL (default the local server)
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { db, disconnectDb } from "@/lib/db/client";
import { listAppFacets, listApps, type ListAppsInput } from "@/lib/apps/list-apps";
import { listAppFacetsReference, listAppsReference } from "@/lib/apps/list-apps-reference";
import { listApps as listAppsOp, listAppFacets as listAppFacetsOp } from "@/lib/api/operations/apps";
import { seedApps } from "@/lib/seed/seed-apps";
import type { Ctx } from "@/lib/auth/context";
import { benchEnv, bootPortal, ctxFor } from "./lib";

const count = Number(process.argv[2] ?? 100_000);
const which = process.env.BENCH_DB ?? "both";
const RUNS = 50;
const WARMUP = 5;
const TARGET_MS = 50;

async function sample(fn: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)];
  return { median: at(0.5), p95: at(0.95) };
}

const page = (input: Partial<ListAppsInput>): ListAppsInput => ({
  page: 1,
  perPage: 25,
  sort: "name",
  order: "asc",
  ...input,
});

const answerPage = async (p: Promise<unknown>) => JSON.stringify(listAppsOp.response!.parse(await p));

/** One database: seed, time, print. */
async function benchOne(provider: "sqlite" | "postgres") {
  const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "bazaar-bench-"));
  const pgBase = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const pgName = `bazaar_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgBase });
  let dbUrl = "";
  if (provider === "postgres") {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pgName}`);
    const u = new URL(pgBase);
    u.pathname = `/${pgName}`;
    dbUrl = u.toString();
  }
  try {
    await bootPortal(benchEnv(path.join(dir, "data"), { BAZAAR_WORKER: "0", DATABASE_URL: dbUrl }));
    console.log(`[${provider}] seeding ${count} apps…`);
    const t0 = Date.now();
    await seedApps({ count });
    const seeded = (Date.now() - t0) / 1000;
    // what autovacuum does shortly after a bulk load: statistics, and the visibility map that
    // lets PostgreSQL answer from the (column, id, visClass) indexes without reading the table
    if (provider === "postgres") await db().$executeRawUnsafe(`VACUUM ANALYZE "MarketplaceApp"`);
    const user = await db().user.findUniqueOrThrow({ where: { username: "seed-alice" } });
    const ctx: Ctx = await ctxFor(user.id);
    const adminCtx: Ctx = await ctxFor((await db().user.findFirstOrThrow({ where: { username: "admin" } })).id);

    const newest = page({ sort: "createdAt", order: "desc" });
    // page 1000 at 100,000 apps; the last page for smaller catalogs
    const visible = (await listApps({ ctx, input: page({}) })).total;
    const deepPage = Math.max(2, Math.min(1000, Math.ceil(visible / 25)));
    const deep = page({ ...newest, page: deepPage });
    const cursor = (await listApps({ ctx, input: { ...newest, page: deepPage - 1 } })).nextCursor;
    if (!cursor) throw new Error(`no page ${deepPage}: seed more apps`);
    const cases: { label: string; ctx: Ctx; input?: ListAppsInput; before: ListAppsInput | null }[] = [
      {
        label: 'filtered: type IMAGE, hypervisor kvm, tag "cloud-init", q "ubuntu", by name',
        ctx,
        input: page({ type: "IMAGE", hypervisor: "kvm", tags: ["cloud-init"], q: "ubuntu" }),
        before: null,
      },
      { label: "page 1, unfiltered, by name", ctx, input: page({}), before: null },
      { label: `page ${deepPage}, newest first, by offset`, ctx, input: deep, before: null },
      { label: `page ${deepPage}, newest first, by cursor`, ctx, input: { ...newest, cursor }, before: deep },
      { label: "facets (values with counts)", ctx, before: null },
      { label: "admin (no permission filter): page 1, by name", ctx: adminCtx, input: page({}), before: null },
    ];
    const load0 = loadavg()[0];
    const results = [];
    for (const c of cases) {
      const input = c.input;
      const before = c.before ?? input;
      const service = input ? () => listApps({ ctx: c.ctx, input }) : () => listAppFacets({ ctx: c.ctx });
      const api = input
        ? () => answerPage(listApps({ ctx: c.ctx, input }))
        : async () => JSON.stringify(listAppFacetsOp.response!.parse(await listAppFacets({ ctx: c.ctx })));
      const old = before
        ? () => answerPage(listAppsReference({ ctx: c.ctx, input: before }))
        : () => listAppFacetsReference({ ctx: c.ctx });
      let matches = "";
      if (input && before) {
        const [mine, ref] = await Promise.all([
          listApps({ ctx: c.ctx, input }),
          listAppsReference({ ctx: c.ctx, input: before }),
        ]);
        const same = JSON.stringify(mine.items.map((i) => i.id)) === JSON.stringify(ref.items.map((i) => i.id));
        matches = `${mine.total}${mine.total === ref.total && same ? "" : ` ≠ ${ref.total} BEFORE`}`;
      } else {
        const [mine, ref] = await Promise.all([listAppFacets({ ctx: c.ctx }), listAppFacetsReference({ ctx: c.ctx })]);
        matches = JSON.stringify(mine.counts) === JSON.stringify(ref) ? "same" : "DIFFERENT";
      }
      results.push({ ...c, matches, old: await sample(old), service: await sample(service), api: await sample(api) });
    }

    console.log(
      `\n${count} apps on ${provider === "sqlite" ? "SQLite" : "PostgreSQL"} (seeded in ${seeded.toFixed(0)} s); ` +
        `user ${user.username} (2 groups) may use ${visible} of them; ${RUNS} runs after ${WARMUP} warm-up; ` +
        `load average ${load0.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after\n`,
    );
    console.log(
      "| request (25 per page) | matches | before: API median | before: API p95 | service median | service p95 | API median | API p95 | ≤ 50 ms |",
    );
    console.log(
      "| --------------------- | ------: | ----------------: | --------------: | -------------: | ----------: | ---------: | ------: | :-----: |",
    );
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    let failed = 0;
    for (const r of results) {
      const reference = r.ctx === adminCtx;
      const pass = r.api.p95 <= TARGET_MS;
      if (!reference && !pass) failed++;
      console.log(
        `| ${r.label} | ${r.matches} | ${ms(r.old.median)} | ${ms(r.old.p95)} | ${ms(r.service.median)} | ` +
          `${ms(r.service.p95)} | ${ms(r.api.median)} | ${ms(r.api.p95)} | ${reference ? "(reference)" : pass ? "PASS" : "FAIL"} |`,
      );
    }
    console.log(
      `\n[${provider}] target: API p95 ≤ ${TARGET_MS} ms for every row of ${user.username} — ` +
        `${failed ? `FAIL (${failed} rows over)` : "PASS"}`,
    );
  } finally {
    await disconnectDb();
    if (provider === "postgres") {
      await admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (which === "sqlite" || which === "postgres") return benchOne(which);
  if (which !== "both") throw new Error(`BENCH_DB must be sqlite, postgres or both, not ${which}`);
  // one process per database: the Prisma client and the config are per process
  for (const provider of ["sqlite", "postgres"]) {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...process.argv.slice(2)], {
      env: { ...process.env, BENCH_DB: provider },
      stdio: "inherit",
    });
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) throw new Error(`the ${provider} run exited with ${code}`);
  }
}

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
