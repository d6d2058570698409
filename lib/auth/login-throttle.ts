import { getConfig } from "@/lib/config";
import type { DbLike } from "@/lib/auth/context";

/**
 * Brute-force protection, kept in the database so every instance shares it. Failed
 * sign-ins are counted per username and per client address within a window; at the limit
 * the key is locked for BAZAAR_LOGIN_LOCK_MINUTES. An address gets 4× the per-user limit,
 * since many people may share one.
 */
const keysFor = (username: string, ip: string) => [
  { key: `user:${username.toLowerCase()}`, factor: 1 },
  { key: `ip:${ip}`, factor: 4 },
];

/** Seconds until the caller may try again, or 0. */
export async function lockedFor(db: DbLike, username: string, ip: string): Promise<number> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keysFor(username, ip).map((k) => k.key) } } });
  const now = Date.now();
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

export async function recordFailure(db: DbLike, username: string, ip: string): Promise<void> {
  const { loginMaxFailures, loginLockMinutes } = getConfig();
  const windowMs = loginLockMinutes * 60_000;
  const now = new Date();
  for (const { key, factor } of keysFor(username, ip)) {
    const row = await db.loginThrottle.findUnique({ where: { key } });
    const fresh = !row || now.getTime() - row.windowStart.getTime() > windowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const lockedUntil =
      failures >= loginMaxFailures * factor ? new Date(now.getTime() + windowMs) : (row?.lockedUntil ?? null);
    await db.loginThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart: now, lockedUntil },
      update: { failures, lockedUntil, ...(fresh ? { windowStart: now } : {}) },
    });
  }
}

export async function clearFailures(db: DbLike, username: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: `user:${username.toLowerCase()}` } });
}
