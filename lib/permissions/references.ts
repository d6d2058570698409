import { decide } from "./operations";
import type { SharedObject, Subject } from "./rights";
import type { GrantKind, GrantTarget } from "./vdc-grants";

type Seen = SharedObject & Partial<GrantTarget>;

/**
 * What a DTO or a message may tell about another shared object it refers to (a VM template's
 * disk image, a role's VM template, an image's datastore, an app's marketplace or parts).
 * OpenNebula prints a referenced object's name to whoever sees the referrer; here the viewer
 * learns a name or any other attribute of an object only when they may USE it, as they would
 * on its own page. Otherwise the reference is its id alone.
 */

/** The columns the decision reads: select them along with what the reference shows. */
export const rightsSelect = {
  ownerId: true,
  groupId: true,
  ownerRights: true,
  groupRights: true,
  otherRights: true,
} as const;

/** May the viewer see the object? The same decision as opening it (a lock hides nothing). */
export function maySee(viewer: Subject, object: Seen, kind?: GrantKind): boolean {
  return decide(viewer, object, "show", kind).allowed;
}

/** A reference to an object the viewer may not see. */
export interface HiddenRef {
  id: number;
}

/** The reference as the viewer gets it: `shown(object)` when they may see it, its id alone otherwise. */
export function refTo<T extends Seen & { id: number }, R extends { id: number }>(
  viewer: Subject,
  object: T,
  shown: (object: T) => R,
  kind?: GrantKind,
): R | HiddenRef {
  return maySee(viewer, object, kind) ? shown(object) : { id: object.id };
}

/** How a message names the object to the viewer: by its name when they may see it, else "#id". */
export function nameFor(viewer: Subject, object: Seen & { id: number; name: string }, kind?: GrantKind): string {
  return maySee(viewer, object, kind) ? object.name : `#${object.id}`;
}
