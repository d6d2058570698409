import { blockedByLock, holds, type Right, type SharedObject, type Subject } from "./rights";

/**
 * Which right each operation on a shared object needs. One table for every resource type;
 * services name the operation, never the bit.
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
} as const satisfies Record<string, Right>;

export type Operation = keyof typeof OPERATION_RIGHTS;

/** Operations a lock never blocks: reading the object and taking the lock off. */
const LOCK_EXEMPT: ReadonlySet<Operation> = new Set(["show", "unlock"]);

export type Decision = { allowed: true } | { allowed: false; reason: string };

export function decide(subject: Subject, object: SharedObject, op: Operation): Decision {
  const right = OPERATION_RIGHTS[op];
  if (!holds(subject, object, right)) {
    return { allowed: false, reason: `${op} needs ${right} permission` };
  }
  if (!LOCK_EXEMPT.has(op) && blockedByLock(object, right)) {
    return { allowed: false, reason: `the object is locked (${object.lockLevel}); unlock it first` };
  }
  return { allowed: true };
}
