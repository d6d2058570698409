import { grantedUse, type GrantKind, type GrantTarget, type VdcGrants } from "./vdc-grants";

/**
 * OpenNebula-style permissions: owner / group / other × USE / MANAGE / ADMIN.
 * Each class is a digit 0-7 (USE = 4, MANAGE = 2, ADMIN = 1), so "640" reads like chmod.
 */
export const USE = 4;
export const MANAGE = 2;
export const ADMIN = 1;

export type Right = "USE" | "MANAGE" | "ADMIN";
export const RIGHT_BIT: Record<Right, number> = { USE, MANAGE, ADMIN };
const RIGHT_RANK: Record<Right, number> = { USE: 1, MANAGE: 2, ADMIN: 3 };

export interface Rights {
  ownerRights: number;
  groupRights: number;
  otherRights: number;
}

/** The fields every shared object carries. */
export interface SharedObject extends Rights {
  ownerId: number;
  groupId: number;
  /** user lock (OpenNebula's lock levels), null when unlocked */
  lockLevel?: Right | null;
}

export interface Subject {
  userId: number;
  groupIds: number[];
  isAdmin: boolean;
  /** what the VDCs of the subject's groups grant (USE only) */
  grants?: VdcGrants;
}

export function rightsToOctal(r: Rights): string {
  return `${r.ownerRights}${r.groupRights}${r.otherRights}`;
}

export function octalToRights(octal: string): Rights {
  if (!/^[0-7]{3}$/.test(octal)) throw new Error(`Not a permission string: ${octal}`);
  return { ownerRights: +octal[0], groupRights: +octal[1], otherRights: +octal[2] };
}

/** "um- u-- ---" as OpenNebula's CLI prints it. */
export function rightsToText(r: Rights): string {
  const d = (n: number) => `${n & USE ? "u" : "-"}${n & MANAGE ? "m" : "-"}${n & ADMIN ? "a" : "-"}`;
  return `${d(r.ownerRights)} ${d(r.groupRights)} ${d(r.otherRights)}`;
}

/** The digits (0-7) in which a right's bit is set, for `where` clauses: `{ in: digitsWith("USE") }`. */
export function digitsWith(right: Right): number[] {
  return [0, 1, 2, 3, 4, 5, 6, 7].filter((d) => d & RIGHT_BIT[right]);
}

/**
 * Does the subject hold `right` on the object (ignoring locks)? Through the object's bits, or,
 * for USE on a datastore, marketplace or app (`kind`), through a VDC of the subject's groups.
 */
export function holds(
  subject: Subject,
  object: SharedObject & Partial<GrantTarget>,
  right: Right,
  kind?: GrantKind,
): boolean {
  if (subject.isAdmin) return true;
  if (
    right === "USE" &&
    kind &&
    object.id !== undefined &&
    grantedUse(subject.grants, kind, { ...object, id: object.id })
  )
    return true;
  const bit = RIGHT_BIT[right];
  if (object.ownerId === subject.userId && object.ownerRights & bit) return true;
  if (subject.groupIds.includes(object.groupId) && object.groupRights & bit) return true;
  return (object.otherRights & bit) !== 0;
}

/** A lock at level L blocks every operation that needs L or more (USE blocks all). */
export function blockedByLock(object: SharedObject, right: Right): boolean {
  if (!object.lockLevel) return false;
  return RIGHT_RANK[right] >= RIGHT_RANK[object.lockLevel];
}

/**
 * New objects get `base & ~umask`: base 777 for admins, 666 for others (only admins
 * hand out ADMIN bits by default), as OpenNebula does.
 */
export function initialRights(subject: Subject, umask: string): Rights {
  const mask = parseInt(umask, 8);
  const base = subject.isAdmin ? 0o777 : 0o666;
  const bits = base & ~mask;
  return { ownerRights: (bits >> 6) & 7, groupRights: (bits >> 3) & 7, otherRights: bits & 7 };
}

/**
 * Marketplaces and apps are the exchange point between groups and VDCs, so like OpenNebula
 * (whose default ACL grants USE on every marketplace and app) they start readable by the
 * group and everyone else; owners narrow that with chmod.
 */
export function sharedRights(subject: Subject, umask: string): Rights {
  const r = initialRights(subject, umask);
  return { ownerRights: r.ownerRights, groupRights: r.groupRights | USE, otherRights: r.otherRights | USE };
}

/**
 * An app starts as readable as `sharedRights` makes it, but readable by everyone only when its
 * marketplace is: an app published into a private marketplace (one an admin gives a VDC, say)
 * stays among those who may use that marketplace.
 */
export function appRights(subject: Subject, umask: string, market: Rights): Rights {
  const r = sharedRights(subject, umask);
  return market.otherRights & USE ? r : { ...r, otherRights: r.otherRights & ~USE };
}

/** True when a chmod from `before` to `after` flips any ADMIN bit. */
export function changesAdminBits(before: Rights, after: Rights): boolean {
  return (
    ((before.ownerRights ^ after.ownerRights) & ADMIN) !== 0 ||
    ((before.groupRights ^ after.groupRights) & ADMIN) !== 0 ||
    ((before.otherRights ^ after.otherRights) & ADMIN) !== 0
  );
}
