// `npm run seed:apps -- [count]`: adds `count` apps (default 10,000) with varied metadata to the
// configured database (BAZAAR_DATA_DIR / DATABASE_URL), over four http marketplaces, six users
// and three groups that it creates on its first run (all named seed-…). The apps are metadata
// only: no bytes are written, so they can be browsed, filtered and edited but not imported.
import { boot } from "@/lib/boot/boot";
import { disconnectDb } from "@/lib/db/client";
import { seedApps } from "@/lib/seed/seed-apps";

const count = Number(process.argv[2] ?? 10_000);
if (!Number.isInteger(count) || count < 1) {
  console.error("usage: npm run seed:apps -- [count of apps, default 10000]");
  process.exit(2);
}

await boot();
const t0 = Date.now();
const result = await seedApps({ count, log: (line) => console.log(line) });
console.log(
  `added ${result.created} apps in ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
    `the seeded marketplaces (${result.marketplaces.map((m) => m.name).join(", ")}) hold ${result.total}`,
);
for (const u of result.newUsers) console.log(`created user ${u.username} with password: ${u.password}`);
if (result.newUsers.length) console.log("the passwords are shown only this once");
await disconnectDb();
