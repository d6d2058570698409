import { describe, expect, it } from "vitest";
import { findNul } from "./find-nul";

describe("findNul", () => {
  it("is null when no string or key holds a NUL", () => {
    expect(findNul({ a: ["x", 1, null, { b: "y" }], c: true })).toBeNull();
    expect(findNul("plain")).toBeNull();
  });

  it("names the path of the first NUL, in values and in keys", () => {
    expect(findNul("a\u0000")).toEqual([]);
    expect(findNul({ name: "a\u0000b" })).toEqual(["name"]);
    expect(findNul({ roles: [{ name: "ok" }, { parents: ["x", "\u0000"] }] })).toEqual(["roles", 1, "parents", 1]);
    expect(findNul({ config: { "public\u0000Dir": "/x" } })).toEqual(["config", "public\u0000Dir"]);
  });

  it("walks nesting deeper than the call stack goes", () => {
    let deep: unknown = "end\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const path = findNul(deep);
    expect(path).toHaveLength(200_000);
    expect(path!.every((k) => k === 0)).toBe(true);
  });
});
