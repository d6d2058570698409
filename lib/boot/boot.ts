import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { ConfigError, getConfig, type Config } from "@/lib/config";
import type { DbLike } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { withStartupLock } from "@/lib/db/startup-lock";
import { isUniqueViolation } from "@/lib/errors";
import { ensureSecretKey } from "@/lib/crypto/secret-key";
import { generatePassword } from "@/lib/auth/password";
import { ADMINS_GROUP } from "@/lib/groups/builtin";
import { seedBuiltinGroups, seedUser, seedZone } from "@/lib/seed/seed-base";
import { seedPublicMarketplaces } from "@/lib/seed/seed-public-markets";
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

export interface BootOptions {
  /**
   * the process answers HTTP (a web server, not `npm run worker`): in development, its port
   * may stand for the zone's endpoint
   */
  serves?: boolean;
}

/**
 * Runs once when a server process starts: validates the configuration, prepares the data
 * directory and the secret key, applies migrations, and seeds the local zone (with its
 * endpoint), the built-in groups and (on the first start) the admin account. Any number of
 * instances may start at once, on a new database or an existing one: they take turns under
 * the start-up lock, and the later ones find the work done.
 */
export async function boot(
  log: (line: string) => void = (l) => console.log(`[bazaar] ${l}`),
  opts: BootOptions = {},
): Promise<void> {
  const config = getConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const zone = await withStartupLock(
    config,
    async () => {
      // instances sharing a data directory would race to create the key file
      ensureSecretKey();
      await applyMigrations(config, log);
      return seedInstallation(config, log, zoneEndpointOf(config, opts.serves ?? true));
    },
    log,
  );
  for (const tool of ["qemu-img", "bzip2", "xz"]) {
    if (!(await hasCommand(tool)))
      log(`WARNING: ${tool} is not installed; image imports will fail (Debian: qemu-utils, bzip2, xz-utils)`);
  }
  log(
    `zone "${zone.name}" at ${zone.endpoint ?? "(no endpoint)"}, database ${config.databaseProvider}, data in ${config.dataDir}`,
  );
  if (!config.publicUrl && config.env === "production" && (!zone.endpoint || isLocalhost(zone.endpoint)))
    log(
      `WARNING: zone "${zone.name}" is at ${zone.endpoint ?? "no endpoint"}: set BAZAAR_PUBLIC_URL to this portal's ` +
        "URL so that other zones and hosts can reach it (its http marketplaces without BASE_URL, links to it)",
    );
}

/**
 * What this instance says of its zone's endpoint: BAZAAR_PUBLIC_URL replaces the stored one.
 * Without it the stored one stays (another instance of the zone may have set it), and a web
 * server stands in for a zone that has none, at the port it listens on (one portal on one
 * machine, the default). A worker listens on no port: it never does.
 */
function zoneEndpointOf(config: Config, serves: boolean): { set?: string; fallback?: string } {
  if (config.publicUrl) return { set: config.publicUrl };
  if (serves) return { fallback: `http://localhost:${config.port}` };
  return {};
}

const isLocalhost = (endpoint: string) => new URL(endpoint).hostname === "localhost";

const hasAdmin = (client: DbLike) =>
  client.user.count({ where: { memberships: { some: { group: { name: ADMINS_GROUP } } } } }).then((n) => n > 0);

/**
 * The local zone and the built-in groups; on a new installation (no admin yet) also the admin
 * and the public marketplaces, in one transaction so that an instance that dies half-way
 * leaves a new installation behind, not an admin without them. Runs under the start-up lock,
 * so exactly one instance creates the admin and prints its password.
 */
async function seedInstallation(
  config: Config,
  log: (line: string) => void,
  endpoint: { set?: string; fallback?: string },
) {
  const client = db();
  const zone = await seedZone(client, config.zoneName, endpoint);
  await seedBuiltinGroups(client);
  if (await hasAdmin(client)) return zone;
  const password = config.adminPassword ?? generatePassword();
  try {
    await client.$transaction(
      async (tx) => {
        const admin = await seedUser(tx, {
          username: config.adminUsername,
          password,
          groups: [ADMINS_GROUP],
          displayName: "Administrator",
        });
        await recordAudit(
          { actorName: "system", zoneName: zone.name, requestId: "boot", tx },
          {
            action: "user.create",
            objectType: "USER",
            objectId: admin.id,
            objectName: admin.username,
            details: { seeded: true },
          },
        );
        // a new installation: the public catalogs come with it
        if (config.publicMarketplaces)
          await seedPublicMarketplaces(tx, { zoneId: zone.id, userId: admin.id, groupId: admin.primaryGroupId });
      },
      // the password hash alone may take a good part of the default 5 s on a busy machine
      { timeout: 60_000 },
    );
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // an instance that did not take the lock (an earlier version) created the admin meanwhile
    if (await hasAdmin(client)) return zone;
    throw new Error(
      `No user is in the "${ADMINS_GROUP}" group, and a user "${config.adminUsername}" exists already: ` +
        "add a user to that group, or set BAZAAR_ADMIN_USERNAME to a free name to create a new admin",
      { cause: err },
    );
  }
  if (config.adminPassword) {
    log(`created admin account "${config.adminUsername}" with the password from BAZAAR_ADMIN_PASSWORD`);
  } else {
    log("============================================================");
    log(`created admin account "${config.adminUsername}" with password: ${password}`);
    log("it is shown only this once: sign in and change it in Profile");
    log("============================================================");
  }
  return zone;
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
