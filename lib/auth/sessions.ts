import { getConfig } from "@/lib/config";
import { randomToken, sha256 } from "@/lib/crypto/tokens";
import type { DbLike } from "@/lib/auth/context";

export const SESSION_COOKIE = "bazaar_session";
/** lastSeenAt / expiry are refreshed at most this often, to keep reads cheap */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

const ttlMs = () => getConfig().sessionHours * 3600 * 1000;

export async function createSession(db: DbLike, userId: number, meta: { ip: string; userAgent: string }) {
  const token = randomToken();
  const id = sha256(token);
  await db.session.create({
    data: {
      id,
      userId,
      expiresAt: new Date(Date.now() + ttlMs()),
      ip: meta.ip.slice(0, 64),
      userAgent: meta.userAgent.slice(0, 256),
    },
  });
  return { token, id };
}

/** The session's user id if the cookie value names a live session; sliding expiry. */
export async function resolveSession(db: DbLike, token: string): Promise<{ id: string; userId: number } | null> {
  const id = sha256(token);
  const session = await db.session.findUnique({ where: { id } });
  if (!session) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.session.update({
      where: { id },
      data: { lastSeenAt: new Date(now), expiresAt: new Date(now + ttlMs()) },
    });
  }
  return { id, userId: session.userId };
}

export async function endSession(db: DbLike, token: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sha256(token) } });
}

export function sessionCookie(token: string, secure: boolean): string {
  const maxAge = Math.floor(ttlMs() / 1000);
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return safeDecode(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A malformed %-escape (e.g. a cookie set by another app on the domain) names no session; it is no error. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
