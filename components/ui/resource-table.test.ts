import { describe, expect, it } from "vitest";
import { nextSort } from "./resource-table";

describe("nextSort", () => {
  it("starts another column ascending, whatever the direction of the last one", () => {
    expect(nextSort("createdAt", "name", "desc")).toEqual({ sort: "name", order: "asc" });
    expect(nextSort("createdAt", "name", "asc")).toEqual({ sort: "name", order: "asc" });
  });

  it("turns the column sorted last around", () => {
    expect(nextSort("name", "name", "desc")).toEqual({ sort: "name", order: "desc" });
    expect(nextSort("name", "name", "asc")).toEqual({ sort: "name", order: "asc" });
  });
});
