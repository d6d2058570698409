import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DbLike } from "@/lib/auth/context";
import { decide, OPERATION_RIGHTS, type Operation } from "./operations";
import { maySee, nameFor, refTo } from "./references";
import { holds, octalToRights, type Right, type SharedObject, type Subject } from "./rights";
import {
  grantedUse,
  grantsOf,
  loadVdcGrants,
  NO_GRANTS,
  whereGranted,
  type GrantKind,
  type GrantTarget,
  type VdcGrants,
} from "./vdc-grants";
import { whereHolds } from "./visibility";

/**
 * The VDC grant: members of a VDC's groups hold USE (never MANAGE or ADMIN) on the datastores
 * and marketplaces it names, by id or as "every one of zone z", and on the apps of those
 * marketplaces. The same decision three ways: grantedUse (in memory), whereGranted (a Prisma
 * fragment), and through holds / decide / whereHolds with a kind.
 */

const grants = (g: Partial<VdcGrants>): VdcGrants => ({ ...NO_GRANTS, ...g });

// datastore 7 by id and every datastore of zone 2; marketplace 9 by id and every one of zone 3
const G = grants({ datastoreIds: [7], datastoreZoneIds: [2], marketplaceIds: [9], marketplaceZoneIds: [3] });

const member: Subject = { userId: 2, groupIds: [10], isAdmin: false, grants: G };
const outsider: Subject = { userId: 3, groupIds: [20], isAdmin: false };
const admin: Subject = { userId: 4, groupIds: [99], isAdmin: true };

/** An object owned by user 1 of group 30: nobody here holds anything through its bits. */
const obj = (target: GrantTarget, octal = "600", lockLevel: Right | null = null) => ({
  ownerId: 1,
  groupId: 30,
  ...octalToRights(octal),
  lockLevel,
  ...target,
});

const USE_OPS: Operation[] = ["show", "use", "download", "import", "publish"];
const MANAGE_OPS: Operation[] = ["update", "rename", "enable", "disable", "delete", "lock", "unlock", "chmod", "chown"];
const ADMIN_OPS: Operation[] = ["chmodAdminBits"];

describe("grantedUse", () => {
  it.each([
    // datastores: by id, by zone; another id in another zone is not granted
    ["DATASTORE", { id: 7, zoneId: 1 }, true],
    ["DATASTORE", { id: 8, zoneId: 2 }, true],
    ["DATASTORE", { id: 8, zoneId: 1 }, false],
    // a zone grant needs the object's zone
    ["DATASTORE", { id: 8 }, false],
    // marketplaces the same, and the two kinds do not mix
    ["MARKETPLACE", { id: 9, zoneId: 1 }, true],
    ["MARKETPLACE", { id: 10, zoneId: 3 }, true],
    ["MARKETPLACE", { id: 7, zoneId: 2 }, false],
    ["DATASTORE", { id: 9, zoneId: 3 }, false],
    // apps: through their marketplace's id or their marketplace's zone
    ["MARKETPLACE_APP", { id: 100, marketplaceId: 9 }, true],
    ["MARKETPLACE_APP", { id: 100, marketplaceId: 11, marketplace: { zoneId: 3 } }, true],
    ["MARKETPLACE_APP", { id: 100, marketplaceId: 11, marketplace: { zoneId: 1 } }, false],
    // an app whose own id is a granted marketplace's is not granted for that
    ["MARKETPLACE_APP", { id: 9, marketplaceId: 11, marketplace: { zoneId: 1 } }, false],
    // a datastore grant gives no app
    ["MARKETPLACE_APP", { id: 100, marketplaceId: 7, marketplace: { zoneId: 2 } }, false],
  ] as const)("%s %j → %s", (kind, target, expected) => {
    expect(grantedUse(G, kind, target)).toBe(expected);
  });

  it("grants nothing without grants, or with empty ones", () => {
    for (const kind of ["DATASTORE", "MARKETPLACE", "MARKETPLACE_APP"] as const) {
      const target = { id: 7, zoneId: 2, marketplaceId: 9, marketplace: { zoneId: 3 } };
      expect(grantedUse(undefined, kind, target)).toBe(false);
      expect(grantedUse(NO_GRANTS, kind, target)).toBe(false);
    }
  });
});

/**
 * Evaluates the fragments whereGranted builds against an object, as the database would: `OR`,
 * `{ field: { in } }` and the app's `{ marketplace: { zoneId: { in } } }`.
 */
function matches(where: object | null, o: GrantTarget): boolean {
  if (where === null) return false;
  const w = where as Record<string, unknown>;
  return Object.entries(w).every(([key, cond]) => {
    if (key === "OR") return (cond as object[]).some((c) => matches(c, o));
    if (key === "marketplace") return o.marketplace !== undefined && matches(cond as object, o.marketplace as never);
    const values = (cond as { in: number[] }).in;
    expect(Array.isArray(values), `unexpected condition on ${key}: ${JSON.stringify(cond)}`).toBe(true);
    const v = (o as unknown as Record<string, unknown>)[key];
    return typeof v === "number" && values.includes(v);
  });
}

describe("whereGranted", () => {
  it("is null when nothing of the kind is granted", () => {
    for (const kind of ["DATASTORE", "MARKETPLACE", "MARKETPLACE_APP"] as const) {
      expect(whereGranted(undefined, kind)).toBeNull();
      expect(whereGranted(NO_GRANTS, kind)).toBeNull();
    }
    expect(whereGranted(grants({ marketplaceIds: [1], marketplaceZoneIds: [2] }), "DATASTORE")).toBeNull();
    expect(whereGranted(grants({ datastoreIds: [1], datastoreZoneIds: [2] }), "MARKETPLACE")).toBeNull();
    expect(whereGranted(grants({ datastoreIds: [1], datastoreZoneIds: [2] }), "MARKETPLACE_APP")).toBeNull();
  });

  it("names ids and zones, and an app's marketplace", () => {
    expect(whereGranted(G, "DATASTORE")).toEqual({ OR: [{ id: { in: [7] } }, { zoneId: { in: [2] } }] });
    expect(whereGranted(G, "MARKETPLACE")).toEqual({ OR: [{ id: { in: [9] } }, { zoneId: { in: [3] } }] });
    expect(whereGranted(G, "MARKETPLACE_APP")).toEqual({
      OR: [{ marketplaceId: { in: [9] } }, { marketplace: { zoneId: { in: [3] } } }],
    });
    expect(whereGranted(grants({ datastoreZoneIds: [4] }), "DATASTORE")).toEqual({ OR: [{ zoneId: { in: [4] } }] });
  });

  it("keeps exactly the objects grantedUse grants", () => {
    const small = fc.integer({ min: 1, max: 6 });
    const ids = fc.array(small, { maxLength: 3 });
    fc.assert(
      fc.property(
        fc.record({ datastoreIds: ids, datastoreZoneIds: ids, marketplaceIds: ids, marketplaceZoneIds: ids }),
        fc.constantFrom<GrantKind>("DATASTORE", "MARKETPLACE", "MARKETPLACE_APP"),
        fc.record({ id: small, zoneId: small, marketplaceId: small, marketplace: fc.record({ zoneId: small }) }),
        (g, kind, target) => {
          // what a row of that kind has: datastores and marketplaces their zone, apps their marketplace
          const row: GrantTarget =
            kind === "MARKETPLACE_APP"
              ? { id: target.id, marketplaceId: target.marketplaceId, marketplace: target.marketplace }
              : { id: target.id, zoneId: target.zoneId };
          expect(matches(whereGranted(g, kind), row)).toBe(grantedUse(g, kind, row));
        },
      ),
    );
  });
});

describe("holds with a kind: a VDC grants USE, never more", () => {
  const cases: [GrantKind, GrantTarget][] = [
    ["DATASTORE", { id: 7, zoneId: 1 }],
    ["DATASTORE", { id: 8, zoneId: 2 }],
    ["MARKETPLACE", { id: 9, zoneId: 1 }],
    ["MARKETPLACE", { id: 10, zoneId: 3 }],
    ["MARKETPLACE_APP", { id: 100, marketplaceId: 9, marketplace: { zoneId: 1 } }],
    ["MARKETPLACE_APP", { id: 100, marketplaceId: 11, marketplace: { zoneId: 3 } }],
  ];

  it.each(cases)("%s %j: USE on 000, not MANAGE or ADMIN", (kind, target) => {
    const o = obj(target, "000");
    expect(holds(member, o, "USE", kind)).toBe(true);
    expect(holds(member, o, "MANAGE", kind)).toBe(false);
    expect(holds(member, o, "ADMIN", kind)).toBe(false);
    // without the kind the grant does not apply: an image or a template is not granted
    expect(holds(member, o, "USE")).toBe(false);
    // nor to someone without grants
    expect(holds(outsider, o, "USE", kind)).toBe(false);
  });

  it("the grant adds to the bits, it does not take their place", () => {
    const ungranted = obj({ id: 50, zoneId: 1 }, "606");
    expect(holds(outsider, ungranted, "USE", "DATASTORE")).toBe(true);
    expect(holds(member, ungranted, "MANAGE", "DATASTORE")).toBe(true);
    expect(holds(member, obj({ id: 50, zoneId: 1 }, "600"), "USE", "DATASTORE")).toBe(false);
  });

  it("a granted datastore's id does not make a marketplace or an app of that id usable", () => {
    expect(holds(member, obj({ id: 7, zoneId: 1 }), "USE", "MARKETPLACE")).toBe(false);
    expect(holds(member, obj({ id: 7, marketplaceId: 11, marketplace: { zoneId: 1 } }), "USE", "MARKETPLACE_APP")).toBe(
      false,
    );
  });

  it("admins hold everything, granted or not", () => {
    for (const right of ["USE", "MANAGE", "ADMIN"] as const)
      expect(holds(admin, obj({ id: 50, zoneId: 1 }, "000"), right, "DATASTORE")).toBe(true);
  });
});

describe("decide with a kind", () => {
  const granted = obj({ id: 7, zoneId: 1 }, "000");

  it.each(USE_OPS)("a member may %s a granted datastore", (op) => {
    expect(decide(member, granted, op, "DATASTORE")).toEqual({ allowed: true });
    expect(decide(member, granted, op)).toEqual({ allowed: false, reason: `${op} needs USE permission` });
  });

  it.each([...MANAGE_OPS, ...ADMIN_OPS])("a member may not %s a granted datastore", (op) => {
    expect(decide(member, granted, op, "DATASTORE")).toEqual({
      allowed: false,
      reason: `${op} needs ${OPERATION_RIGHTS[op]} permission`,
    });
  });

  it("apps of a granted marketplace: by its id and by its zone", () => {
    for (const target of [
      { id: 100, marketplaceId: 9, marketplace: { zoneId: 1 } },
      { id: 101, marketplaceId: 12, marketplace: { zoneId: 3 } },
    ]) {
      const app = obj(target, "600");
      for (const op of USE_OPS) expect(decide(member, app, op, "MARKETPLACE_APP").allowed).toBe(true);
      for (const op of MANAGE_OPS) expect(decide(member, app, op, "MARKETPLACE_APP").allowed).toBe(false);
      expect(decide(outsider, app, "show", "MARKETPLACE_APP").allowed).toBe(false);
    }
  });

  it("a lock still blocks what it blocks: a USE lock leaves a granted member show only", () => {
    const locked = obj({ id: 7, zoneId: 1 }, "000", "USE");
    expect(decide(member, locked, "show", "DATASTORE")).toEqual({ allowed: true });
    expect(decide(member, locked, "use", "DATASTORE")).toEqual({
      allowed: false,
      reason: "the object is locked (USE); unlock it first",
    });
    // a MANAGE lock leaves use alone
    expect(decide(member, obj({ id: 7, zoneId: 1 }, "000", "MANAGE"), "import", "DATASTORE").allowed).toBe(true);
  });

  it("without grants (undefined) nothing changes", () => {
    const plain: Subject = { userId: 2, groupIds: [10], isAdmin: false };
    expect(decide(plain, granted, "show", "DATASTORE").allowed).toBe(false);
    expect(decide(plain, obj({ id: 7, zoneId: 1 }, "040"), "show", "DATASTORE").allowed).toBe(false);
    expect(decide({ ...plain, groupIds: [30] }, obj({ id: 7, zoneId: 1 }, "040"), "show", "DATASTORE").allowed).toBe(
      true,
    );
  });
});

describe("whereHolds with a kind", () => {
  const USE_DIGITS = { in: [4, 5, 6, 7] };
  const bits = (s: Subject, digits: { in: number[] }) => [
    { ownerId: s.userId, ownerRights: digits },
    { groupId: { in: s.groupIds }, groupRights: digits },
    { otherRights: digits },
  ];

  it("adds the granted objects to USE only", () => {
    expect(whereHolds(member, "USE", "DATASTORE")).toEqual({
      OR: [...bits(member, USE_DIGITS), { OR: [{ id: { in: [7] } }, { zoneId: { in: [2] } }] }],
    });
    expect(whereHolds(member, "USE", "MARKETPLACE_APP")).toEqual({
      OR: [
        ...bits(member, USE_DIGITS),
        { OR: [{ marketplaceId: { in: [9] } }, { marketplace: { zoneId: { in: [3] } } }] },
      ],
    });
    expect(whereHolds(member, "MANAGE", "DATASTORE")).toEqual({ OR: bits(member, { in: [2, 3, 6, 7] }) });
    expect(whereHolds(member, "ADMIN", "MARKETPLACE")).toEqual({ OR: bits(member, { in: [1, 3, 5, 7] }) });
    expect(whereHolds(member, "USE")).toEqual({ OR: bits(member, USE_DIGITS) });
  });

  it("adds nothing without grants; admins see everything", () => {
    expect(whereHolds(outsider, "USE", "DATASTORE")).toEqual({ OR: bits(outsider, USE_DIGITS) });
    expect(whereHolds({ ...outsider, grants: NO_GRANTS }, "USE", "MARKETPLACE")).toEqual({
      OR: bits(outsider, USE_DIGITS),
    });
    expect(whereHolds(admin, "USE", "DATASTORE")).toEqual({});
  });
});

describe("references with a kind", () => {
  const market = { id: 9, name: "vdc-market", zoneId: 1, ownerId: 1, groupId: 30, ...octalToRights("600") };
  const shown = ({ id, name }: SharedObject & { id: number; name: string }) => ({ id, name });

  it("a granted object is named to members, hidden from others", () => {
    expect(refTo(member, market, shown, "MARKETPLACE")).toEqual({ id: 9, name: "vdc-market" });
    expect(refTo(outsider, market, shown, "MARKETPLACE")).toEqual({ id: 9 });
    expect(refTo(member, market, shown)).toEqual({ id: 9 });
    expect(nameFor(member, market, "MARKETPLACE")).toBe("vdc-market");
    expect(nameFor(outsider, market, "MARKETPLACE")).toBe("#9");
    expect(maySee(member, { ...market, id: 8, zoneId: 3 }, "MARKETPLACE")).toBe(true);
    expect(maySee(member, { ...market, id: 8, zoneId: 2 }, "MARKETPLACE")).toBe(false);
  });
});

/** A stand-in for the Prisma client: answers findMany / findUnique and records the queries. */
function fakeDb(rows: unknown[], markets: Record<number, { zoneId: number }> = {}) {
  const calls: { model: string; args: unknown }[] = [];
  const db = {
    vdcResource: {
      findMany: async (args: unknown) => {
        calls.push({ model: "vdcResource", args });
        return rows;
      },
    },
    marketplace: {
      findUnique: async (args: { where: { id: number } }) => {
        calls.push({ model: "marketplace", args });
        return markets[args.where.id] ?? null;
      },
    },
  };
  return { db: db as unknown as DbLike, calls };
}

describe("loadVdcGrants", () => {
  it("asks nothing for a user without groups", async () => {
    const { db, calls } = fakeDb([]);
    expect(await loadVdcGrants(db, [])).toEqual(NO_GRANTS);
    expect(calls).toEqual([]);
  });

  it("sorts the VDC resources of the user's groups into ids and zones", async () => {
    const { db, calls } = fakeDb([
      { zoneId: 1, resourceType: "DATASTORE", resourceId: 7 },
      { zoneId: 2, resourceType: "DATASTORE", resourceId: null },
      { zoneId: 1, resourceType: "MARKETPLACE", resourceId: 9 },
      { zoneId: 3, resourceType: "MARKETPLACE", resourceId: null },
    ]);
    expect(await loadVdcGrants(db, [10, 11])).toEqual(G);
    expect(calls).toHaveLength(1);
    expect(JSON.stringify(calls[0].args)).toContain('"groupId":{"in":[10,11]}');
  });

  it("does not let one user's grants leak into the next (NO_GRANTS is never filled)", async () => {
    const { db } = fakeDb([{ zoneId: 1, resourceType: "DATASTORE", resourceId: 7 }]);
    await loadVdcGrants(db, [10]);
    expect(NO_GRANTS).toEqual({ datastoreIds: [], datastoreZoneIds: [], marketplaceIds: [], marketplaceZoneIds: [] });
  });
});

describe("grantsOf", () => {
  const vdcRow = (resourceId: number | null) => ({
    resourceId,
    vdc: { id: 1, name: "v", groups: [{ group: { id: 10, name: "g" } }] },
  });

  it("asks for the named resource and the zone-wide grants of its zone", async () => {
    const { db, calls } = fakeDb([vdcRow(7), vdcRow(null)]);
    expect(await grantsOf(db, "DATASTORE", { id: 7, zoneId: 2 })).toEqual([
      { vdc: { id: 1, name: "v" }, allOfZone: false, groups: [{ id: 10, name: "g" }] },
      { vdc: { id: 1, name: "v" }, allOfZone: true, groups: [{ id: 10, name: "g" }] },
    ]);
    expect(calls[0].args).toMatchObject({
      where: { resourceType: "DATASTORE", zoneId: 2, OR: [{ resourceId: 7 }, { resourceId: null }] },
    });
  });

  it("an app is granted through its marketplace, in the marketplace's zone", async () => {
    const { db, calls } = fakeDb([], { 9: { zoneId: 3 } });
    await grantsOf(db, "MARKETPLACE_APP", { id: 100, zoneId: 1, marketplaceId: 9 });
    const query = calls.find((c) => c.model === "vdcResource")!.args;
    expect(query).toMatchObject({
      where: { resourceType: "MARKETPLACE", zoneId: 3, OR: [{ resourceId: 9 }, { resourceId: null }] },
    });
  });
});
