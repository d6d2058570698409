// `npm run db:migrate`: applies the pending migrations without starting the portal (e.g. before
// a rolling update). It takes the start-up lock, so instances may be starting meanwhile.
import { ConfigError, getConfig } from "@/lib/config";
import { migrate } from "@/lib/db/migrate";

try {
  const applied = await migrate(getConfig(), (line) => console.log(`[migrate] ${line}`));
  console.log(`[migrate] ${applied.length ? `${applied.length} applied` : "nothing to apply"}`);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `[migrate] failed: ${(err as Error).message}`);
  process.exit(1);
}
