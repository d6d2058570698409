import { blockedByLock, holds, type Right, type SharedObject, type Subject } from "./rights";
import type { GrantKind, GrantTarget } from "./vdc-grants";

/**
 * Which right each operation on a shared object needs. One table for every resource type;
 * services name the operation, never the bit.
 *
 * Who holds a right (`holds` in rights.ts):
 *
 * | right          | on                                  | held through                                          |
 * |----------------|-------------------------------------|-------------------------------------------------------|
 * | USE            | datastore, marketplace, app         | owner/group/other bits, or a VDC of one of the user's |
 * |                |                                     | groups granting it (an app: through its marketplace)  |
 * | USE            | image, VM and service template      | owner/group/other bits                                |
 * | MANAGE, ADMIN  | every shared object                 | owner/group/other bits (a VDC never grants them)      |
 * | every right    | every object                        | membership of the admins group                        |
 */
export const OPERATION_RIGHTS = {
  show: "USE",
  use: "USE",
  download: "USE",
  import: "USE",
  publish: "USE",
  update: "MANAGE",
  rename: "MANAGE",
  enable: "MANAGE",
  disable: "MANAGE",
  delete: "MANAGE",
  lock: "MANAGE",
  unlock: "MANAGE",
  chmod: "MANAGE",
  chown: "MANAGE",
  chmodAdminBits: "ADMIN",
  /** serve a marketplace as a catalog to other clouds, and its read tokens: what they read is
   * not held to the portal's permissions of each app, so it takes ADMIN (an admin's switch) */
  serveCatalog: "ADMIN",
} as const satisfies Record<string, Right>;

export type Operation = keyof typeof OPERATION_RIGHTS;

/** Operations a lock never blocks: reading the object and taking the lock off. */
const LOCK_EXEMPT: ReadonlySet<Operation> = new Set(["show", "unlock"]);

export type Decision = { allowed: true } | { allowed: false; reason: string };

/** `kind` names a datastore, marketplace or app, whose USE a VDC may grant. */
export function decide(
  subject: Subject,
  object: SharedObject & Partial<GrantTarget>,
  op: Operation,
  kind?: GrantKind,
): Decision {
  const right = OPERATION_RIGHTS[op];
  if (!holds(subject, object, right, kind)) {
    return { allowed: false, reason: `${op} needs ${right} permission` };
  }
  if (!LOCK_EXEMPT.has(op) && blockedByLock(object, right)) {
    return { allowed: false, reason: `the object is locked (${object.lockLevel}); unlock it first` };
  }
  return { allowed: true };
}
