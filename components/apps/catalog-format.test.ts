import { describe, expect, it } from "vitest";
import { appsLabel, countLabel, facetOptions, formatCount, tagOverflow, withCounts } from "./catalog-format";

describe("countLabel", () => {
  it("puts the count, with thousands separated, after the value", () => {
    expect(countLabel("kvm", 1204)).toBe("kvm (1,204)");
    expect(countLabel("qcow2", 0)).toBe("qcow2 (0)");
    expect(formatCount(1234567)).toBe("1,234,567");
  });

  it("leaves the label alone when the count is not known", () => {
    expect(countLabel("kvm", undefined)).toBe("kvm");
  });

  it("counts apps in words", () => {
    expect(appsLabel(1)).toBe("1 app");
    expect(appsLabel(0)).toBe("0 apps");
    expect(appsLabel(10000)).toBe("10,000 apps");
  });
});

describe("tagOverflow", () => {
  const tags = ["linux", "cloud-init", "ssh", "lts", "minimal"];

  it("shows at most `max` tags and keeps the rest for the +N", () => {
    expect(tagOverflow(tags, 3)).toEqual({ shown: ["linux", "cloud-init", "ssh"], hidden: ["lts", "minimal"] });
    expect(tagOverflow(tags, 10)).toEqual({ shown: tags, hidden: [] });
    expect(tagOverflow([], 3)).toEqual({ shown: [], hidden: [] });
  });

  it("stops before the tags would exceed the characters allowed, but always shows the first whole", () => {
    // "linux" (5) + "cloud-init" (10) = 15 fits in 16; "ssh" would make 18
    expect(tagOverflow(tags, 5, 16)).toEqual({ shown: ["linux", "cloud-init"], hidden: ["ssh", "lts", "minimal"] });
    const long = "a-very-long-tag-name-of-32-chars";
    expect(tagOverflow([long, "x"], 3, 10)).toEqual({ shown: [long], hidden: ["x"] });
  });

  it("neither loses nor repeats a tag", () => {
    for (let max = 0; max <= 6; max++)
      for (const chars of [0, 5, 12, 40, Infinity]) {
        const { shown, hidden } = tagOverflow(tags, max, chars);
        expect([...shown, ...hidden]).toEqual(tags);
      }
  });
});

describe("facetOptions", () => {
  const counts = [
    { value: "kvm", count: 1204 },
    { value: "lxc", count: 88 },
    { value: "vcenter", count: 300 },
  ];

  it("keeps the API's order, or puts the most used first", () => {
    expect(facetOptions(counts, []).map((o) => o.value)).toEqual(["kvm", "lxc", "vcenter"]);
    expect(facetOptions(counts, [], "count").map((o) => o.value)).toEqual(["kvm", "vcenter", "lxc"]);
    expect(facetOptions(counts, [])[0]).toEqual({ value: "kvm", label: "kvm", count: 1204 });
  });

  it("keeps a chosen value that no app has any more, with a count of 0", () => {
    expect(facetOptions(counts, ["xen"]).at(-1)).toEqual({ value: "xen", label: "xen", count: 0 });
    expect(facetOptions(undefined, ["xen"])).toEqual([{ value: "xen", label: "xen", count: 0 }]);
    expect(facetOptions(counts, ["kvm"])).toHaveLength(3);
  });
});

describe("withCounts", () => {
  const markets = [
    { value: "2", label: "Public" },
    { value: "10", label: "Private" },
  ];

  it("joins the counts to the options by value, 0 for a value no app has", () => {
    expect(withCounts(markets, [{ value: "10", count: 1204 }])).toEqual([
      { value: "2", label: "Public", count: 0 },
      { value: "10", label: "Private", count: 1204 },
    ]);
  });

  it("keeps the options as they are while the counts are not known", () => {
    expect(withCounts(markets, undefined)).toEqual(markets);
  });
});
