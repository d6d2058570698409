import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseServiceBody, serviceTemplateBody } from "./service-template-body";

const role = (name: string, parents?: string[]) => ({ name, cardinality: 1, vm_template: 3, parents });

function issues(body: unknown) {
  const r = serviceTemplateBody.safeParse(body);
  if (r.success) return [];
  return r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("serviceTemplateBody", () => {
  it("accepts a OneFlow body and passes unknown keys through", () => {
    const body = {
      name: "web",
      deployment: "straight",
      roles: [
        { ...role("db"), min_vms: 1, elasticity_policies: [{ type: "CHANGE", adjust: 1 }] },
        role("front", ["db"]),
      ],
      networks: { public: "M|network|Public||id:" },
      ready_status_gate: true,
    };
    const parsed = serviceTemplateBody.parse(body);
    expect(parsed).toMatchObject({ ...body, description: "" });
    expect(parsed.roles[0]).toMatchObject({ min_vms: 1, elasticity_policies: [{ type: "CHANGE", adjust: 1 }] });
  });

  it("refuses duplicate role names", () => {
    expect(issues({ name: "s", roles: [role("a"), role("b"), role("a")] })).toEqual([
      "roles.2.name: Role a appears twice",
    ]);
  });

  it("refuses an unknown parent and a role that is its own parent", () => {
    expect(issues({ name: "s", roles: [role("a", ["ghost"]), role("b", ["b"])] })).toEqual([
      "roles.0.parents: Role a: parent ghost is not a role of this service",
      "roles.1.parents: Role b cannot be its own parent",
    ]);
  });

  it("refuses a cycle of parents, naming the role and the cycle once", () => {
    expect(
      issues({ name: "s", roles: [role("a", ["c"]), role("b", ["a"]), role("c", ["b"]), role("d", ["a"])] }),
    ).toEqual(["roles.0.parents: Role a is in a cycle of parents: a → c → b → a"]);
    // a diamond is not a cycle
    expect(
      issues({ name: "s", roles: [role("a"), role("b", ["a"]), role("c", ["a"]), role("d", ["b", "c"])] }),
    ).toEqual([]);
  });

  it("checks counts, names and cardinality", () => {
    expect(issues({ name: "s", roles: [] })).toEqual(["roles: a service needs at least one role"]);
    expect(issues({ name: "s", roles: Array.from({ length: 33 }, (_, i) => role(`r${i}`)) })).toEqual([
      "roles: a service has at most 32 roles",
    ]);
    expect(issues({ name: "s", roles: [{ ...role("bad name"), cardinality: -1 }] })).toEqual([
      "roles.0.name: must be 1 to 64 letters, digits, '_' or '-'",
      "roles.0.cardinality: must be 0 or more",
    ]);
    expect(issues({ name: "s", deployment: "parallel", roles: [role("a")] })).toHaveLength(1);
  });
});

describe("parseServiceBody", () => {
  it("parses JSON and names what is wrong", () => {
    expect(parseServiceBody(JSON.stringify({ name: "s", roles: [role("a")] })).deployment).toBe("none");
    const bad = () => parseServiceBody("{ nope");
    expect(bad).toThrow(AppError);
    expect(bad).toThrow(/not valid JSON/);
    try {
      parseServiceBody(JSON.stringify({ name: "s", roles: [role("a", ["b"])] }));
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).invalidParams).toEqual([
        { name: "roles.0.parents", reason: "Role a: parent b is not a role of this service" },
      ]);
    }
  });
});
