import { randomToken, sha256 } from "@/lib/crypto/tokens";

/** Catalog read tokens look like `bzc_<43 chars>` (URL-safe); only the sha256 of the whole token is stored. */
export const CATALOG_TOKEN_PREFIX = "bzc_";
/** How many characters of a token are kept and shown, so that tokens can be told apart. */
const SHOWN = 8;

export function newCatalogTokenSecret(): { token: string; prefix: string; secretHash: string } {
  const token = CATALOG_TOKEN_PREFIX + randomToken(32);
  return { token, prefix: token.slice(0, SHOWN), secretHash: sha256(token) };
}

/** The hash a presented token is looked up by, or null for what cannot be a catalog token. */
export function catalogTokenHash(token: string): string | null {
  if (!token.startsWith(CATALOG_TOKEN_PREFIX) || token.length > 100) return null;
  return sha256(token);
}
