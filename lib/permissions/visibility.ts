import { digitsWith, type Right, type Subject } from "./rights";
import { whereGranted, type GrantKind } from "./vdc-grants";

/**
 * A Prisma `where` fragment that keeps only the shared objects on which the subject holds
 * `right` through the owner, group or other bits, or (USE on a datastore, marketplace or app:
 * `kind`) through a VDC of the subject's groups; admins: everything. Services fetch with it,
 * so what a user may not see is simply "not found".
 */
export function whereHolds(subject: Subject, right: Right = "USE", kind?: GrantKind) {
  if (subject.isAdmin) return {};
  const digits = { in: digitsWith(right) };
  const granted = right === "USE" && kind ? whereGranted(subject.grants, kind) : null;
  return {
    OR: [
      { ownerId: subject.userId, ownerRights: digits },
      { groupId: { in: subject.groupIds }, groupRights: digits },
      { otherRights: digits },
      ...(granted ? [granted] : []),
    ],
  };
}
