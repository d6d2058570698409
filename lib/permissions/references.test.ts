import { describe, expect, it } from "vitest";
import { maySee, nameFor, refTo } from "./references";
import { octalToRights, type Right, type SharedObject, type Subject } from "./rights";

const owner: Subject = { userId: 1, groupIds: [30], isAdmin: false };
const member: Subject = { userId: 2, groupIds: [10], isAdmin: false };
const stranger: Subject = { userId: 3, groupIds: [20], isAdmin: false };
const admin: Subject = { userId: 4, groupIds: [99], isAdmin: true };
const image = (octal: string, lockLevel: Right | null = null) => ({
  id: 12,
  name: "db-disk",
  state: "READY",
  ownerId: 1,
  groupId: 10,
  ...octalToRights(octal),
  lockLevel,
});
const shown = ({ id, name, state }: SharedObject & { id: number; name: string; state: string }) => ({
  id,
  name,
  state,
});

describe("refTo: what a reference shows", () => {
  it.each([
    ["the owner", owner, "600", true],
    ["a group member", member, "640", true],
    ["a group member", member, "600", false],
    ["anyone", stranger, "604", true],
    ["anyone", stranger, "640", false],
    ["an admin", admin, "000", true],
    // MANAGE or ADMIN alone is no USE
    ["a group member", member, "630", false],
  ] as const)("%s on %s: shown %s", (_, viewer, octal, visible) => {
    const ref = refTo(viewer, image(octal), shown);
    expect(ref).toEqual(visible ? { id: 12, name: "db-disk", state: "READY" } : { id: 12 });
    expect(maySee(viewer, image(octal))).toBe(visible);
  });

  it("a lock hides nothing: it blocks actions, not the object", () => {
    expect(refTo(owner, image("600", "USE"), shown)).toEqual({ id: 12, name: "db-disk", state: "READY" });
  });
});

describe("nameFor: how a message names the object", () => {
  it("by its name when the viewer may see it, else by its id alone", () => {
    expect(nameFor(owner, image("600"))).toBe("db-disk");
    expect(nameFor(stranger, image("600"))).toBe("#12");
  });
});
