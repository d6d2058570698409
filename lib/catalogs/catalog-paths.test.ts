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

  it("keeps the query and leaves other paths alone", () => {
    expect(collapseCatalogSlashes("/catalog/5//appliance?x=a//b")).toBe("/catalog/5/appliance?x=a//b");
    expect(collapseCatalogSlashes("/catalog/5/appliance")).toBe("/catalog/5/appliance");
    expect(collapseCatalogSlashes("/api//v1/apps")).toBe("/api//v1/apps");
    expect(collapseCatalogSlashes("/catalogue//x")).toBe("/catalogue//x");
  });
});
