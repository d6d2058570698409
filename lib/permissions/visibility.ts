import { digitsWith, type Right, type Subject } from "./rights";

/**
 * A Prisma `where` fragment that keeps only the shared objects on which the subject holds
 * `right` through the owner, group or other bits (admins: everything). Services fetch with
 * it, so what a user may not see is simply "not found".
 */
export function whereHolds(subject: Subject, right: Right = "USE") {
  if (subject.isAdmin) return {};
  const digits = { in: digitsWith(right) };
  return {
    OR: [
      { ownerId: subject.userId, ownerRights: digits },
      { groupId: { in: subject.groupIds }, groupRights: digits },
      { otherRights: digits },
    ],
  };
}
