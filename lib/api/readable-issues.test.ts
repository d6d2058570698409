import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldLabel, invalidInput, issueSentence, readableSchema } from "./readable-issues";
import { dbId, objectName } from "./schemas";

const reasons = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : invalidInput(parsed.error.issues).invalidParams;
};

describe("fieldLabel", () => {
  it("names only the last levels of a path nested thousands deep (its cost must not grow with the square of the depth)", () => {
    const deep = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? "items" : i));
    const label = fieldLabel(deep);
    expect(label.startsWith("… ")).toBe(true);
    expect(label.length).toBeLessThan(120);
    expect(issueSentence(deep, "must not contain NUL characters").length).toBeLessThan(160);
  });

  it("names fields and list members as a person would", () => {
    expect(fieldLabel(["name"])).toBe("Name");
    expect(fieldLabel(["tags", 1])).toBe("Tag 2");
    expect(fieldLabel(["roles", 0, "name"])).toBe("Role 1 name");
    expect(fieldLabel(["roles", 0, "disks", 2, "appId"])).toBe("Role 1 disk 3 app to reuse");
    expect(fieldLabel(["config", "publicDir"])).toBe("Public directory");
    expect(fieldLabel(["vmTemplateId"])).toBe("VM template");
    expect(fieldLabel(["forcePathStyle"])).toBe("Force path style");
    expect(fieldLabel(["datastores", 1, "datastoreId"])).toBe("Datastore 2");
    expect(fieldLabel([])).toBe("");
  });
});

describe("issueSentence", () => {
  it("puts the field's name before the reason", () => {
    expect(issueSentence(["name"], "is required")).toBe("Name is required");
    expect(issueSentence(["roles"], "a service needs at least one role")).toBe(
      "Roles: a service needs at least one role",
    );
    expect(issueSentence([], "give at least one field to change")).toBe("Give at least one field to change");
  });

  it("keeps a reason that is a sentence of its own", () => {
    expect(issueSentence(["roles", 1, "name"], "Role web appears twice")).toBe("Role web appears twice");
  });
});

describe("zod's own rules", () => {
  it("are told in words, never in zod's jargon", () => {
    const schema = z.object({
      name: objectName,
      count: z.number().int().max(10),
      kind: z.enum(["a", "b"]),
      ids: z.array(dbId).max(2),
      homepage: z.url(),
    });
    expect(reasons(schema, { count: 11, kind: "c", ids: [0], homepage: "nope" })).toEqual([
      { name: "name", reason: "Name is required" },
      { name: "count", reason: "Count must be at most 10" },
      { name: "kind", reason: "Kind must be one of a, b" },
      { name: "ids.0", reason: "Id 1 is required" },
      { name: "homepage", reason: "Homepage must be a URL" },
    ]);
    expect(reasons(z.object({ ids: z.array(dbId) }), { ids: [-5] })).toEqual([
      { name: "ids.0", reason: "Id 1 must be a positive id" },
    ]);
    expect(reasons(schema, { name: 5, count: 1.5, kind: "a", ids: "x", homepage: "https://x.example" })).toEqual([
      { name: "name", reason: "Name must be text" },
      { name: "count", reason: "Count must be a whole number" },
      { name: "ids", reason: "Ids must be a list" },
    ]);
  });

  it("tell a whole body's rule as a sentence of its own", () => {
    expect(reasons(z.array(z.number()).max(2), [1, 2, 3])).toEqual([
      { name: "body", reason: "Must have at most 2 items" },
    ]);
  });

  it("make an INVALID error whose detail is every sentence", () => {
    const err = invalidInput(objectName.safeParse("a".repeat(129)).error!.issues, ["name"]);
    expect(err.code).toBe("INVALID");
    expect(err.message).toBe("Name must be at most 128 characters");
    expect(err.invalidParams).toEqual([{ name: "name", reason: "Name must be at most 128 characters" }]);
  });
});

describe("readableSchema", () => {
  it("gives a form the same sentences, a list member's on the list's field", async () => {
    const schema = readableSchema(z.object({ tags: z.array(z.string().regex(/^\S+$/, "must not contain spaces")) }));
    const result = await schema["~standard"].validate({ tags: ["ok", "not ok"] });
    expect(result.issues).toEqual([{ path: ["tags"], message: "Tag 2 must not contain spaces" }]);
  });
});
