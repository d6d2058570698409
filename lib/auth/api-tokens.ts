import { randomToken, sha256 } from "@/lib/crypto/tokens";
import type { DbLike } from "@/lib/auth/context";

/** Tokens look like `bzr_<43 chars>`; only the sha256 of the whole token is stored. */
export const TOKEN_PREFIX = "bzr_";

export function newTokenSecret(): { token: string; prefix: string; secretHash: string } {
  const token = TOKEN_PREFIX + randomToken(32);
  return { token, prefix: token.slice(0, 12), secretHash: sha256(token) };
}

/** The token's user id if it is known and unexpired. */
export async function resolveApiToken(db: DbLike, token: string): Promise<number | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const row = await db.apiToken.findUnique({ where: { secretHash: sha256(token) } });
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  // lastUsedAt at minute precision is enough and spares a write per request
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return row.userId;
}
