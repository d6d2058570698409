/**
 * Benchmark: the catalog with 10,000 apps on SQLite. Seeds a fresh temporary database
 * (lib/seed/seed-apps.ts, as `npm run seed:apps` does) and times, as a non-admin user (who
 * sees the apps through owner, group and other rights), a filtered page, an unfiltered page,
 * a deep page and the facets: in process, after a warm-up, median and p95 of 50 runs each.
 * Each page is timed twice: the service alone, and as the API answers it (the response
 * parsed through its public DTO and serialised to JSON). Target: a filtered page < 100 ms.
 *
 *   npm run bench:catalog -- [count of apps, default 10000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { db } from "@/lib/db/client";
import { listAppFacets, listApps, type ListAppsInput } from "@/lib/apps/list-apps";
import { listApps as listAppsOp, listAppFacets as listAppFacetsOp } from "@/lib/api/operations/apps";
import { seedApps } from "@/lib/seed/seed-apps";
import type { Ctx } from "@/lib/auth/context";
import { benchEnv, bootPortal, ctxFor } from "./lib";

const count = Number(process.argv[2] ?? 10_000);
const RUNS = 50;
const WARMUP = 5;
const TARGET_MS = 100;

const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), "bazaar-bench-"));
const env = benchEnv(path.join(dir, "data"), { BAZAAR_WORKER: "0" });

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

async function main() {
  await bootPortal(env);
  console.log(`seeding ${count} apps…`);
  const t0 = Date.now();
  await seedApps({ count });
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const user = await db().user.findUniqueOrThrow({ where: { username: "seed-alice" } });
  const ctx: Ctx = await ctxFor(user.id);

  const cases: { label: string; input?: ListAppsInput }[] = [
    {
      label: 'filtered: type IMAGE, hypervisor kvm, tag "cloud-init", q "ubuntu", by name',
      input: page({ type: "IMAGE", hypervisor: "kvm", tags: ["cloud-init"], q: "ubuntu" }),
    },
    { label: "unfiltered, by name", input: page({}) },
    { label: "unfiltered, newest first, page 100", input: page({ sort: "createdAt", order: "desc", page: 100 }) },
    { label: "facets" },
  ];
  const load0 = loadavg()[0];
  const results = [];
  for (const c of cases) {
    const service = c.input ? () => listApps({ ctx, input: c.input! }) : () => listAppFacets({ ctx });
    const answered = c.input
      ? async () => JSON.stringify(listAppsOp.response!.parse(await listApps({ ctx, input: c.input! })))
      : async () => JSON.stringify(listAppFacetsOp.response!.parse(await listAppFacets({ ctx })));
    const matched = c.input ? (await listApps({ ctx, input: c.input })).total : null;
    results.push({ ...c, matched, service: await sample(service), api: await sample(answered) });
  }

  const visible = (await listApps({ ctx, input: page({}) })).total;
  console.log(
    `\n${count} apps on SQLite; user ${user.username} (2 groups) may use ${visible} of them; ${RUNS} runs after ${WARMUP} warm-up; load average ${load0.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after\n`,
  );
  console.log("| request | matches | service median | service p95 | API median | API p95 |");
  console.log("| ------- | ------: | -------------: | ----------: | ---------: | ------: |");
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  for (const r of results) {
    console.log(
      `| ${r.label} | ${r.matched ?? ""} | ${ms(r.service.median)} | ${ms(r.service.p95)} | ${ms(r.api.median)} | ${ms(r.api.p95)} |`,
    );
  }
  const filtered = results[0].api;
  const pass = filtered.p95 < TARGET_MS;
  console.log(
    `\ntarget: a filtered page in under ${TARGET_MS} ms — ${pass ? "PASS" : "FAIL"} ` +
      `(p95 ${ms(filtered.p95)}, as the API answers it)`,
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
