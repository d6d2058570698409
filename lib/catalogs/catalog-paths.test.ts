import { describe, expect, it } from "vitest";
import { collapseCatalogSlashes } from "../../scripts/catalog-paths.mjs";

describe("collapseCatalogSlashes", () => {
  it("makes the path of an ENDPOINT ending in '/' the one Next.js serves", () => {
    expect(collapseCatalogSlashes("/catalog/5//appliance")).toBe("/catalog/5/appliance");
    expect(collapseCatalogSlashes("/catalog/5/t/bzc_x//appliance/12/download/0")).toBe(
      "/catalog/5/t/bzc_x/appliance/12/download/0",
    );
    expect(collapseCatalogSlashes("//catalog//5///streams/v1/index.json")).toBe("/catalog/5/streams/v1/index.json");
    expect(collapseCatalogSlashes("/catalog/5/appliance/")).toBe("/catalog/5/appliance");
  });

  it("puts back the '/' an ENDPOINT without its trailing '/' leaves out of downloads", () => {
    const token = `bzc_${"A".repeat(43)}`;
    expect(collapseCatalogSlashes("/catalog/5appliance/12/download/0")).toBe("/catalog/5/appliance/12/download/0");
    expect(collapseCatalogSlashes(`/catalog/5/t/${token}appliance/12`)).toBe(`/catalog/5/t/${token}/appliance/12`);
    expect(collapseCatalogSlashes("/catalog/5applianceX")).toBe("/catalog/5applianceX");
    expect(collapseCatalogSlashes("/catalog/5/t/bzc_shortappliance")).toBe("/catalog/5/t/bzc_shortappliance");
  });

  it("keeps the query and leaves other paths alone", () => {
    expect(collapseCatalogSlashes("/catalog/5//appliance?x=a//b")).toBe("/catalog/5/appliance?x=a//b");
    expect(collapseCatalogSlashes("/catalog/5/appliance")).toBe("/catalog/5/appliance");
    expect(collapseCatalogSlashes("/api//v1/apps")).toBe("/api//v1/apps");
    expect(collapseCatalogSlashes("/catalogue//x")).toBe("/catalogue//x");
  });
});
