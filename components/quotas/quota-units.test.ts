import { describe, expect, it } from "vitest";
import { atLimit, formValuesOf, toQuotasInput, toSizeField, usagePercent } from "./quota-units";

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe("quota sizes", () => {
  it("shows whole GiB in GiB and the rest in MiB", () => {
    expect(toSizeField(2 * GiB)).toEqual({ maxBytes: 2, unit: "GiB" });
    expect(toSizeField(1.5 * GiB)).toEqual({ maxBytes: 1.5, unit: "GiB" });
    expect(toSizeField(3 * MiB)).toEqual({ maxBytes: 3, unit: "MiB" });
    expect(toSizeField(null)).toEqual({ maxBytes: "", unit: "GiB" });
  });
});

describe("the quota form", () => {
  const quotas = {
    transfers: { limit: 2, used: 0 },
    datastores: [
      { datastore: null, bytes: { limit: null, used: 0 }, images: { limit: 10, used: 1 } },
      { datastore: { id: 4, name: "a" }, bytes: { limit: 3 * MiB, used: MiB }, images: { limit: null, used: 1 } },
      { datastore: { id: 5, name: "b" }, bytes: { limit: null, used: MiB }, images: { limit: null, used: 1 } },
    ],
  };

  it("round-trips what is set, leaving out datastores without a limit", () => {
    const values = formValuesOf(quotas);
    expect(values.datastores.map((d) => d.datastoreId)).toEqual([null, "4"]);
    expect(toQuotasInput(values)).toEqual({
      maxTransfers: 2,
      datastores: [
        { datastoreId: null, maxBytes: null, maxImages: 10 },
        { datastoreId: 4, maxBytes: 3 * MiB, maxImages: null },
      ],
    });
  });

  it("reads empty fields as no limit", () => {
    expect(
      toQuotasInput({
        maxTransfers: "",
        datastores: [{ datastoreId: null, maxBytes: "", unit: "MiB", maxImages: "" }],
      }),
    ).toEqual({ maxTransfers: null, datastores: [{ datastoreId: null, maxBytes: null, maxImages: null }] });
  });
});

describe("usage", () => {
  it("is full at the limit and empty without one", () => {
    expect(usagePercent({ limit: 4, used: 1 })).toBe(25);
    expect(usagePercent({ limit: 4, used: 9 })).toBe(100);
    expect(usagePercent({ limit: 0, used: 0 })).toBe(100);
    expect(usagePercent({ limit: null, used: 9 })).toBe(0);
    expect(atLimit({ limit: 4, used: 4 })).toBe(true);
    expect(atLimit({ limit: 4, used: 3 })).toBe(false);
    expect(atLimit({ limit: null, used: 3 })).toBe(false);
  });
});
