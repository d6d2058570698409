import { describe, expect, it } from "vitest";
import { parseRange } from "./range-response";

describe("parseRange", () => {
  const size = 1000;

  it("serves the whole file without a Range header", () => {
    expect(parseRange(null, size)).toBeNull();
    expect(parseRange("", size)).toBeNull();
  });

  it.each([
    ["bytes=0-99", { start: 0, end: 99 }],
    ["bytes=100-199", { start: 100, end: 199 }],
    ["bytes=999-999", { start: 999, end: 999 }],
    ["bytes=500-", { start: 500, end: 999 }],
    ["bytes=0-", { start: 0, end: 999 }],
    ["bytes=-100", { start: 900, end: 999 }],
    ["bytes=-5000", { start: 0, end: 999 }],
    ["bytes=900-5000", { start: 900, end: 999 }],
    [" bytes=1-2 ", { start: 1, end: 2 }],
  ])("%s", (header, range) => {
    expect(parseRange(header, size)).toEqual(range);
  });

  it.each([
    ["bytes=1000-"],
    ["bytes=1000-1001"],
    ["bytes=5-3"],
    ["bytes=-0"],
    ["bytes=-"],
    ["bytes=a-b"],
    ["items=0-1"],
    ["bytes 0-1"],
  ])("%s is unsatisfiable (416)", (header) => {
    expect(parseRange(header, size)).toBe("invalid");
  });

  it("serves a multi-range request whole", () => {
    expect(parseRange("bytes=0-1,5-6", size)).toBeNull();
  });

  it("an empty file satisfies no range", () => {
    expect(parseRange("bytes=0-", 0)).toBe("invalid");
    expect(parseRange("bytes=-1", 0)).toBe("invalid");
  });
});
