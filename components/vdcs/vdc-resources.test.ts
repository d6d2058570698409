import { describe, expect, it } from "vitest";
import type { VdcResourceInput } from "./api";
import { covers, withoutResource, withResource } from "./vdc-resources";

const ds = (zoneId: number, resourceId: number | null): VdcResourceInput => ({
  zoneId,
  resourceType: "DATASTORE",
  resourceId,
});
const market = (zoneId: number, resourceId: number | null): VdcResourceInput => ({
  zoneId,
  resourceType: "MARKETPLACE",
  resourceId,
});

describe("VDC resource lists", () => {
  it("adds a resource once", () => {
    const list = withResource([ds(0, 1)], ds(0, 2));
    expect(list).toEqual([ds(0, 1), ds(0, 2)]);
    expect(withResource(list, ds(0, 2))).toEqual(list);
  });

  it("lets all of a zone replace the ones of that zone and type it names", () => {
    const list = [ds(0, 1), ds(1, 5), market(0, 3)];
    expect(withResource(list, ds(0, null))).toEqual([ds(1, 5), market(0, 3), ds(0, null)]);
  });

  it("knows a resource covered by all of its zone", () => {
    expect(covers([ds(0, null)], ds(0, 7))).toBe(true);
    expect(covers([ds(0, null)], ds(1, 7))).toBe(false);
    expect(covers([ds(0, null)], market(0, 7))).toBe(false);
    expect(withResource([ds(0, null)], ds(0, 7))).toEqual([ds(0, null)]);
  });

  it("removes one resource", () => {
    expect(withoutResource([ds(0, 1), ds(0, null), market(0, null)], ds(0, null))).toEqual([ds(0, 1), market(0, null)]);
  });
});
