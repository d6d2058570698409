/** The public shape of a catalog read token: never its secret nor its hash. */
export function toCatalogTokenDto(t: {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}) {
  return { id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt };
}
