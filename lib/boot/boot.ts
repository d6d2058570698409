import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { ConfigError, getConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { ensureSecretKey } from "@/lib/crypto/secret-key";
import { generatePassword } from "@/lib/auth/password";
import { ADMINS_GROUP } from "@/lib/groups/builtin";
import { seedBuiltinGroups, seedUser, seedZone } from "@/lib/seed/seed-base";
import { recordAudit } from "@/lib/audit/record-audit";
import { startWorker } from "@/lib/jobs/worker";
import { localZone } from "@/lib/zones/local-zone";

/** Starts the job worker of the local zone; it stops with the process. */
export async function startLocalWorker() {
  const zone = await localZone();
  const worker = startWorker({ zoneId: zone.id, concurrency: getConfig().workerConcurrency });
  const stop = () => void worker.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return worker;
}

/**
 * Runs once when a server process starts: validates the configuration, prepares the data
 * directory and the secret key, applies migrations, and seeds the local zone, the built-in
 * groups and (on the first start) the admin account.
 */
export async function boot(log: (line: string) => void = (l) => console.log(`[bazaar] ${l}`)): Promise<void> {
  const config = getConfig();
  mkdirSync(config.dataDir, { recursive: true });
  ensureSecretKey();
  await migrate(config, log);
  const client = db();
  const zone = await seedZone(client, config.zoneName);
  await seedBuiltinGroups(client);
  const adminExists = await client.user.count({ where: { memberships: { some: { group: { name: ADMINS_GROUP } } } } });
  if (adminExists === 0) {
    const password = config.adminPassword ?? generatePassword();
    const admin = await seedUser(client, {
      username: config.adminUsername,
      password,
      groups: [ADMINS_GROUP],
      displayName: "Administrator",
    });
    await recordAudit(
      { actorName: "system", zoneName: zone.name, requestId: "boot" },
      {
        action: "user.create",
        objectType: "USER",
        objectId: admin.id,
        objectName: admin.username,
        details: { seeded: true },
      },
    );
    if (config.adminPassword) {
      log(`created admin account "${config.adminUsername}" with the password from BAZAAR_ADMIN_PASSWORD`);
    } else {
      log("============================================================");
      log(`created admin account "${config.adminUsername}" with password: ${password}`);
      log("it is shown only this once: sign in and change it in Profile");
      log("============================================================");
    }
  }
  for (const tool of ["qemu-img", "bzip2", "xz"]) {
    if (!(await hasCommand(tool)))
      log(`WARNING: ${tool} is not installed; image imports will fail (Debian: qemu-utils, bzip2, xz-utils)`);
  }
  log(`zone "${zone.name}", database ${config.databaseProvider}, data in ${config.dataDir}`);
}

function hasCommand(name: string): Promise<boolean> {
  return new Promise((resolve) =>
    execFile(name, ["--version"], (err) => resolve(!err || (err as NodeJS.ErrnoException).code !== "ENOENT")),
  );
}

/** For the server's start hook: a configuration error stops the process with its message. */
export async function bootOrExit(): Promise<void> {
  try {
    await boot();
    if (getConfig().worker) await startLocalWorker();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
    } else {
      console.error("[bazaar] failed to start:", err);
    }
    process.exit(1);
  }
}
