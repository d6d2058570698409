import type { OwnershipDto } from "@/lib/permissions/shared-dto";

/**
 * The 3×3 permission grid as the panel edits it, and what the signed-in user may do with an
 * object, decided from the bits the API shows (the server decides again; this only greys out
 * what would be refused). USE = 4, MANAGE = 2, ADMIN = 1 per class, as in chmod.
 */
export const CLASSES = ["owner", "group", "other"] as const;
export const RIGHTS = ["use", "manage", "admin"] as const;
export type PermClass = (typeof CLASSES)[number];
export type PermRight = (typeof RIGHTS)[number];
export type PermGrid = Record<PermClass, Record<PermRight, boolean>>;

const WEIGHT: Record<PermRight, number> = { use: 4, manage: 2, admin: 1 };

export function gridOf(p: OwnershipDto["permissions"]): PermGrid {
  return { owner: { ...p.owner }, group: { ...p.group }, other: { ...p.other } };
}

export function gridToOctal(grid: PermGrid): string {
  return CLASSES.map((c) => RIGHTS.reduce((d, r) => d + (grid[c][r] ? WEIGHT[r] : 0), 0)).join("");
}

/** "um- u-- ---" as OpenNebula's CLI prints it. */
export function gridToText(grid: PermGrid): string {
  return CLASSES.map((c) => RIGHTS.map((r) => (grid[c][r] ? r[0] : "-")).join("")).join(" ");
}

export interface Me {
  id: number;
  isAdmin: boolean;
  groups: { id: number }[];
}

/** Does `me` hold `right` on the object through its bits? */
export function holdsRight(
  me: Me,
  o: Pick<OwnershipDto, "owner" | "group" | "permissions">,
  right: PermRight,
): boolean {
  if (me.isAdmin) return true;
  if (o.owner.id === me.id && o.permissions.owner[right]) return true;
  if (me.groups.some((g) => g.id === o.group.id) && o.permissions.group[right]) return true;
  return o.permissions.other[right];
}
