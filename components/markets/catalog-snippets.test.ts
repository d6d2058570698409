import { describe, expect, it } from "vitest";
import {
  absoluteCatalogUrl,
  catalogEndpoint,
  incusRemoteAdd,
  incusRemoteName,
  oneMarketTemplate,
  TOKEN_PLACEHOLDER,
} from "./catalog-snippets";

describe("catalog snippets", () => {
  it("completes a base URL given as a path with the portal's origin, and leaves a URL alone", () => {
    expect(absoluteCatalogUrl("/catalog/7", "https://bazaar.example.org/")).toBe(
      "https://bazaar.example.org/catalog/7",
    );
    expect(absoluteCatalogUrl("http://zone-b:3000/catalog/7", "https://a")).toBe("http://zone-b:3000/catalog/7");
    expect(absoluteCatalogUrl("/catalog/7")).toBe("/catalog/7");
  });

  it("puts the token, or a placeholder, in the path of a token catalog", () => {
    expect(catalogEndpoint("http://h/catalog/7", false, "s3cret")).toBe("http://h/catalog/7");
    expect(catalogEndpoint("http://h/catalog/7", true, "s3cret")).toBe("http://h/catalog/7/t/s3cret");
    expect(catalogEndpoint("http://h/catalog/7", true)).toBe(`http://h/catalog/7/t/${TOKEN_PLACEHOLDER}`);
  });

  it("writes an OpenNebula marketplace template with its strings escaped", () => {
    expect(oneMarketTemplate('Our "apps"', "http://h/catalog/7")).toBe(
      ['NAME = "Our \\"apps\\""', 'MARKET_MAD = "one"', 'ENDPOINT = "http://h/catalog/7/"'].join("\n"),
    );
  });

  it("names the Incus remote with what a remote name may hold", () => {
    expect(incusRemoteName("Café Apps: prod/1")).toBe("cafe-apps-prod-1");
    expect(incusRemoteName("***")).toBe("bazaar");
    expect(incusRemoteAdd("apps", "http://h/catalog/7")).toBe(
      "incus remote add apps http://h/catalog/7 --protocol simplestreams --public",
    );
  });
});
