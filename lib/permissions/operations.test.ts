import { describe, expect, it } from "vitest";
import { decide, OPERATION_RIGHTS, type Operation } from "./operations";
import { octalToRights, type Right, type SharedObject, type Subject } from "./rights";

const owner: Subject = { userId: 1, groupIds: [30], isAdmin: false };
const member: Subject = { userId: 2, groupIds: [10], isAdmin: false };
const stranger: Subject = { userId: 3, groupIds: [20], isAdmin: false };
const admin: Subject = { userId: 4, groupIds: [99], isAdmin: true };
const obj = (octal: string, lockLevel: Right | null = null): SharedObject => ({
  ownerId: 1,
  groupId: 10,
  ...octalToRights(octal),
  lockLevel,
});

const USE_OPS: Operation[] = ["show", "use", "download", "import", "publish"];
const MANAGE_OPS: Operation[] = ["update", "rename", "enable", "disable", "delete", "lock", "unlock", "chmod", "chown"];
const ADMIN_OPS: Operation[] = ["chmodAdminBits", "serveCatalog"];

describe("OPERATION_RIGHTS", () => {
  it("names the right every operation needs", () => {
    const expected = Object.fromEntries([
      ...USE_OPS.map((op) => [op, "USE"]),
      ...MANAGE_OPS.map((op) => [op, "MANAGE"]),
      ...ADMIN_OPS.map((op) => [op, "ADMIN"]),
    ]);
    expect(OPERATION_RIGHTS).toEqual(expected);
  });
});

describe("decide: the decision table", () => {
  // [who, rights, operation, allowed]
  const table: [string, Subject, string, Operation, boolean][] = [
    // owner bits
    ["owner", owner, "400", "show", true],
    ["owner", owner, "400", "update", false],
    ["owner", owner, "600", "update", true],
    ["owner", owner, "600", "delete", true],
    ["owner", owner, "600", "chmodAdminBits", false],
    ["owner", owner, "700", "chmodAdminBits", true],
    ["owner", owner, "200", "show", false],
    ["owner", owner, "200", "delete", true],
    // group bits
    ["group member", member, "640", "download", true],
    ["group member", member, "640", "rename", false],
    ["group member", member, "660", "rename", true],
    ["group member", member, "600", "show", false],
    ["group member", member, "670", "chmodAdminBits", true],
    // other bits
    ["stranger", stranger, "660", "show", false],
    ["stranger", stranger, "604", "show", true],
    ["stranger", stranger, "604", "import", true],
    ["stranger", stranger, "604", "chown", false],
    ["stranger", stranger, "606", "chown", true],
    ["stranger", stranger, "606", "chmodAdminBits", false],
    ["stranger", stranger, "601", "chmodAdminBits", true],
    // admins need no bits
    ["admin", admin, "000", "show", true],
    ["admin", admin, "000", "delete", true],
    ["admin", admin, "000", "chmodAdminBits", true],
  ];

  it.each(table)("%s on %s: %s → %s", (_, subject, octal, op, allowed) => {
    const decision = decide(subject, obj(octal), op);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toBe(`${op} needs ${OPERATION_RIGHTS[op]} permission`);
  });

  it.each(["DATASTORE", "MARKETPLACE", "MARKETPLACE_APP"] as const)(
    "naming the kind (%s) changes nothing for subjects without VDC grants",
    (kind) => {
      for (const [, subject, octal, op, allowed] of table)
        expect(decide(subject, { ...obj(octal), id: 5, zoneId: 1, marketplaceId: 5 }, op, kind).allowed).toBe(allowed);
    },
  );

  it("a VDC grant adds USE operations, and only them", () => {
    const granted: Subject = {
      ...stranger,
      grants: { datastoreIds: [5], datastoreZoneIds: [], marketplaceIds: [], marketplaceZoneIds: [] },
    };
    const ds = { ...obj("600"), id: 5, zoneId: 1 };
    for (const op of USE_OPS) expect(decide(granted, ds, op, "DATASTORE")).toEqual({ allowed: true });
    for (const op of [...MANAGE_OPS, ...ADMIN_OPS])
      expect(decide(granted, ds, op, "DATASTORE")).toEqual({
        allowed: false,
        reason: `${op} needs ${OPERATION_RIGHTS[op]} permission`,
      });
    // another kind of object with the same id is not granted
    expect(decide(granted, ds, "show", "MARKETPLACE").allowed).toBe(false);
  });

  it("without the right, the missing permission is the reason even on a locked object", () => {
    expect(decide(stranger, obj("600", "USE"), "show")).toEqual({
      allowed: false,
      reason: "show needs USE permission",
    });
  });
});

describe("decide: locks", () => {
  const all = [...USE_OPS, ...MANAGE_OPS, ...ADMIN_OPS];
  const exempt = new Set<Operation>(["show", "unlock"]);

  it.each([
    ["USE", all.filter((op) => !exempt.has(op))],
    ["MANAGE", [...MANAGE_OPS, ...ADMIN_OPS].filter((op) => !exempt.has(op))],
    ["ADMIN", ADMIN_OPS],
  ] as const)("a %s lock blocks exactly %j, even for admins", (level, blocked) => {
    for (const subject of [owner, admin]) {
      const denied = all.filter((op) => !decide(subject, obj("777", level), op).allowed);
      expect(denied.sort()).toEqual([...blocked].sort());
    }
    const decision = decide(owner, obj("777", level), blocked[0]);
    expect(decision).toEqual({ allowed: false, reason: `the object is locked (${level}); unlock it first` });
  });

  it("show and unlock are never blocked by a lock", () => {
    for (const level of ["USE", "MANAGE", "ADMIN"] as const) {
      expect(decide(owner, obj("600", level), "show")).toEqual({ allowed: true });
      expect(decide(owner, obj("600", level), "unlock")).toEqual({ allowed: true });
    }
  });

  it("an unlocked object blocks nothing its rights allow", () => {
    for (const op of all) expect(decide(owner, obj("700"), op)).toEqual({ allowed: true });
  });
});
