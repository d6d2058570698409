import { getConfig } from "@/lib/config";

/**
 * Case-insensitive "contains": PostgreSQL needs `mode: "insensitive"`, which SQLite's
 * Prisma client rejects (its LIKE is already case-insensitive for ASCII).
 */
export function containsInsensitive(value: string): { contains: string; mode?: "insensitive" } {
  return getConfig().databaseProvider === "postgresql" ? { contains: value, mode: "insensitive" } : { contains: value };
}
