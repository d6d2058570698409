import { describe, expect, it } from "vitest";
import {
  blockedByLock,
  changesAdminBits,
  digitsWith,
  holds,
  initialRights,
  octalToRights,
  rightsToOctal,
  rightsToText,
  type Right,
  type SharedObject,
  type Subject,
} from "./rights";

const owner: Subject = { userId: 1, groupIds: [30], isAdmin: false };
const member: Subject = { userId: 2, groupIds: [10, 30], isAdmin: false };
const stranger: Subject = { userId: 3, groupIds: [20], isAdmin: false };
const admin: Subject = { userId: 4, groupIds: [99], isAdmin: true };
const object = (octal: string, lockLevel: Right | null = null): SharedObject => ({
  ownerId: 1,
  groupId: 10,
  ...octalToRights(octal),
  lockLevel,
});

const RIGHTS: [Right, number][] = [
  ["USE", 4],
  ["MANAGE", 2],
  ["ADMIN", 1],
];
const CLASSES = ["owner", "group", "other"] as const;

describe("holds: owner / group / other × USE / MANAGE / ADMIN", () => {
  // For each class and right: an object granting only that one bit to only that class.
  const rows = CLASSES.flatMap((cls, position) =>
    RIGHTS.map(([right, bit]) => {
      const digits = ["0", "0", "0"];
      digits[position] = String(bit);
      return { cls, right, octal: digits.join("") };
    }),
  );

  it.each(rows)("$octal grants $right to the $cls class only", ({ cls, right, octal }) => {
    const o = object(octal);
    expect(holds(owner, o, right)).toBe(cls === "owner" || cls === "other");
    expect(holds(member, o, right)).toBe(cls === "group" || cls === "other");
    expect(holds(stranger, o, right)).toBe(cls === "other");
    for (const [otherRight] of RIGHTS.filter(([r]) => r !== right)) {
      expect(holds(owner, o, otherRight) || holds(member, o, otherRight) || holds(stranger, o, otherRight)).toBe(false);
    }
  });

  it("an owner who is also in the object's group gets both classes' bits", () => {
    const both: Subject = { userId: 1, groupIds: [10], isAdmin: false };
    expect(holds(both, object("040"), "USE")).toBe(true);
    expect(holds(both, object("020"), "MANAGE")).toBe(true);
  });

  it("admins hold every right, even on 000", () => {
    for (const [right] of RIGHTS) expect(holds(admin, object("000"), right)).toBe(true);
  });

  it("nobody else holds anything on 000", () => {
    for (const s of [owner, member, stranger])
      for (const [right] of RIGHTS) expect(holds(s, object("000"), right)).toBe(false);
  });
});

describe("blockedByLock", () => {
  it.each([
    [null, [false, false, false]],
    ["USE", [true, true, true]],
    ["MANAGE", [false, true, true]],
    ["ADMIN", [false, false, true]],
  ] as const)("a %s lock blocks USE/MANAGE/ADMIN as %j", (lock, expected) => {
    expect(RIGHTS.map(([right]) => blockedByLock(object("777", lock), right))).toEqual(expected);
  });
});

describe("initialRights", () => {
  it.each([
    ["177", true, "600"],
    ["177", false, "600"],
    ["022", true, "755"],
    ["022", false, "644"],
    ["000", true, "777"],
    ["000", false, "666"],
    ["077", false, "600"],
    ["777", true, "000"],
  ])("umask %s for %s admin → %s", (umask, isAdmin, expected) => {
    const subject = isAdmin ? admin : stranger;
    expect(rightsToOctal(initialRights(subject, umask))).toBe(expected);
  });
});

describe("changesAdminBits", () => {
  it.each([
    ["600", "601", true],
    ["600", "610", true],
    ["700", "600", true],
    ["777", "776", true],
    ["600", "640", false],
    ["644", "664", false],
    ["711", "711", false],
    ["755", "311", false],
  ])("%s → %s: %s", (before, after, expected) => {
    expect(changesAdminBits(octalToRights(before), octalToRights(after))).toBe(expected);
  });
});

describe("text and octal forms", () => {
  it.each([
    ["600", "um- --- ---"],
    ["640", "um- u-- ---"],
    ["750", "uma u-a ---"],
    ["777", "uma uma uma"],
    ["000", "--- --- ---"],
    ["124", "--a -m- u--"],
  ])("%s reads %s", (octal, text) => {
    expect(rightsToText(octalToRights(octal))).toBe(text);
  });

  it("every octal string round-trips", () => {
    for (let n = 0; n < 0o1000; n++) {
      const octal = n.toString(8).padStart(3, "0");
      const rights = octalToRights(octal);
      expect(rightsToOctal(rights)).toBe(octal);
      expect(rights.ownerRights * 64 + rights.groupRights * 8 + rights.otherRights).toBe(n);
    }
  });

  it.each([["8"], ["77"], ["1234"], ["abc"], ["78 "], [""]])("%j is not a permission string", (s) => {
    expect(() => octalToRights(s)).toThrow("Not a permission string");
  });

  it("digitsWith lists the digits in which a right's bit is set", () => {
    expect(digitsWith("USE")).toEqual([4, 5, 6, 7]);
    expect(digitsWith("MANAGE")).toEqual([2, 3, 6, 7]);
    expect(digitsWith("ADMIN")).toEqual([1, 3, 5, 7]);
  });
});
