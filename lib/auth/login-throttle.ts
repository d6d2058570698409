import { getConfig } from "@/lib/config";
import type { DbLike } from "@/lib/auth/context";

/**
 * Brute-force protection, kept in the database so every instance shares it. Sign-ins are
 * counted per username and per client address within a window, and counted BEFORE the
 * password is checked, each count one atomic statement: of any number of simultaneous guesses
 * at most the limit reach the password check. At the limit the key is locked for
 * BAZAAR_LOGIN_LOCK_MINUTES. An address gets 4× the per-user limit, since many people may
 * share one. An attempt the lock refuses, or whose password was right, is taken back, so that
 * the counts are of wrong passwords only.
 */
interface Bucket {
  key: string;
  limit: number;
}

export type Attempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Without a known address (a request that did not come through the server) only the username counts. */
function bucketsFor(username: string, ip: string | null): Bucket[] {
  const max = getConfig().loginMaxFailures;
  const user = { key: `user:${username.toLowerCase()}`, limit: max };
  return ip ? [{ key: `ip:${addressKey(ip)}`, limit: max * 4 }, user] : [user];
}

/**
 * One subscriber usually holds a whole IPv6 /64 and can pick any address in it, so an IPv6
 * client is counted by its /64. `ip` is in the canonical form normalizeAddress() writes.
 */
export function addressKey(ip: string): string {
  if (!ip.includes(":")) return ip;
  const [head, tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return ip;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

/**
 * Counts an attempt for every bucket (the address first), unless one is locked: then the
 * attempt is refused and taken back, and no password may be checked.
 */
export async function countAttempt(db: DbLike, username: string, ip: string | null): Promise<Attempt> {
  const counted: Bucket[] = [];
  for (const bucket of bucketsFor(username, ip)) {
    const now = new Date();
    const row = await bump(db, bucket, now);
    counted.push(bucket);
    if (row.failures > bucket.limit) {
      await Promise.all(counted.map((b) => takeBack(db, b)));
      const until = row.lockedUntil?.getTime() ?? now.getTime() + getConfig().loginLockMinutes * 60_000;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
    }
  }
  return { allowed: true };
}

/** The password was right: the username starts afresh, and the address is not charged for it. */
export async function attemptSucceeded(db: DbLike, username: string, ip: string | null): Promise<void> {
  for (const bucket of bucketsFor(username, ip)) {
    if (bucket.key.startsWith("user:")) await db.loginThrottle.deleteMany({ where: { key: bucket.key } });
    else await takeBack(db, bucket);
  }
}

/**
 * One statement, so that concurrent attempts cannot read the same count: a new key starts at
 * 1; a key whose window (and lock) is over starts again at 1; otherwise the count goes up, and
 * reaching the limit sets the lock. SET expressions see the row as it was before the update,
 * in SQLite and PostgreSQL alike. Dates are bound parameters, written and compared in the one
 * format the driver adapter gives them, so that SQLite's text comparison holds.
 */
async function bump(db: DbLike, { key, limit }: Bucket, now: Date) {
  const windowMs = getConfig().loginLockMinutes * 60_000;
  const windowFloor = new Date(now.getTime() - windowMs);
  const lockEnd = new Date(now.getTime() + windowMs);
  const firstLock = limit <= 1 ? lockEnd : null;
  const rows = await db.$queryRaw<{ failures: number | bigint; lockedUntil: Date | string | null }[]>`
    INSERT INTO "LoginThrottle" ("key", "failures", "windowStart", "lockedUntil")
    VALUES (${key}, 1, ${now}, ${firstLock})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE
        WHEN "LoginThrottle"."windowStart" <= ${windowFloor}
          AND ("LoginThrottle"."lockedUntil" IS NULL OR "LoginThrottle"."lockedUntil" <= ${now}) THEN 1
        ELSE "LoginThrottle"."failures" + 1
      END,
      "windowStart" = CASE
        WHEN "LoginThrottle"."windowStart" <= ${windowFloor}
          AND ("LoginThrottle"."lockedUntil" IS NULL OR "LoginThrottle"."lockedUntil" <= ${now}) THEN ${now}
        ELSE "LoginThrottle"."windowStart"
      END,
      "lockedUntil" = CASE
        WHEN "LoginThrottle"."windowStart" <= ${windowFloor}
          AND ("LoginThrottle"."lockedUntil" IS NULL OR "LoginThrottle"."lockedUntil" <= ${now}) THEN ${firstLock}
        WHEN "LoginThrottle"."lockedUntil" IS NULL AND "LoginThrottle"."failures" + 1 >= ${limit} THEN ${lockEnd}
        ELSE "LoginThrottle"."lockedUntil"
      END
    RETURNING "failures", "lockedUntil"`;
  const row = rows[0];
  return { failures: Number(row.failures), lockedUntil: row.lockedUntil === null ? null : new Date(row.lockedUntil) };
}

/** Takes one attempt back; the lock goes too if that attempt was the one that set it. */
async function takeBack(db: DbLike, { key, limit }: Bucket): Promise<void> {
  await db.$executeRaw`
    UPDATE "LoginThrottle"
    SET "failures" = "failures" - 1,
        "lockedUntil" = CASE WHEN "failures" - 1 < ${limit} THEN NULL ELSE "lockedUntil" END
    WHERE "key" = ${key} AND "failures" > 0`;
}
