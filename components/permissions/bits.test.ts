import { describe, expect, it } from "vitest";
import { gridOf, gridToOctal, gridToText, holdsRight, type Me } from "./bits";

const bits = (d: number) => ({ use: (d & 4) !== 0, manage: (d & 2) !== 0, admin: (d & 1) !== 0 });
const object = (octal: string, ownerId = 1, groupId = 10) => ({
  owner: { id: ownerId, name: "o" },
  group: { id: groupId, name: "g" },
  permissions: { octal, text: "", owner: bits(+octal[0]), group: bits(+octal[1]), other: bits(+octal[2]) },
});

describe("grid", () => {
  it.each(["000", "640", "777", "604", "751"])("round-trips %s", (octal) => {
    expect(gridToOctal(gridOf(object(octal).permissions))).toBe(octal);
  });
  it("prints the CLI form", () => {
    expect(gridToText(gridOf(object("761").permissions))).toBe("uma um- --a");
  });
});

describe("holdsRight", () => {
  const owner: Me = { id: 1, isAdmin: false, groups: [{ id: 99 }] };
  const member: Me = { id: 2, isAdmin: false, groups: [{ id: 10 }] };
  const stranger: Me = { id: 3, isAdmin: false, groups: [{ id: 20 }] };
  const admin: Me = { id: 4, isAdmin: true, groups: [] };

  it("reads the owner's, the group's and others' bits", () => {
    const o = object("640");
    expect(holdsRight(owner, o, "manage")).toBe(true);
    expect(holdsRight(member, o, "use")).toBe(true);
    expect(holdsRight(member, o, "manage")).toBe(false);
    expect(holdsRight(stranger, o, "use")).toBe(false);
  });
  it("gives admins everything", () => {
    expect(holdsRight(admin, object("000"), "admin")).toBe(true);
  });
  it("lets others in through the other bits", () => {
    expect(holdsRight(stranger, object("006"), "manage")).toBe(true);
  });
});
