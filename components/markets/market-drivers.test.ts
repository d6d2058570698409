import { describe, expect, it } from "vitest";
import type { MarketplaceDto } from "./api";
import {
  changedConfig,
  driverBody,
  formatAttribute,
  marketFieldErrors,
  marketFormValidate,
  marketFormValues,
  withDriver,
} from "./market-drivers";

const market = (driver: MarketplaceDto["driver"], config: MarketplaceDto["config"]) =>
  ({ name: "m", description: "", driver, config }) as MarketplaceDto;

describe("withDriver", () => {
  it("gives a public catalog its own endpoint and gives it back to s3 as AWS", () => {
    const one = withDriver(marketFormValues(), "one");
    expect(one.config.endpoint).toBe("https://marketplace.opennebula.io");
    const lxc = withDriver(one, "linuxcontainers");
    expect(lxc.config.endpoint).toBe("https://images.linuxcontainers.org");
    expect(withDriver(lxc, "s3").config.endpoint).toBe("");
  });

  it("keeps an endpoint the user typed", () => {
    const v = marketFormValues();
    v.config.endpoint = "https://mirror.example.com";
    expect(withDriver(v, "one").config.endpoint).toBe("https://mirror.example.com");
  });
});

describe("driverBody", () => {
  it("sends a public catalog's attributes only, without secrets", () => {
    const v = withDriver(marketFormValues(), "linuxcontainers");
    v.config.variant = " cloud ";
    expect(driverBody(v)).toEqual({
      driver: "linuxcontainers",
      config: { endpoint: "https://images.linuxcontainers.org", architectures: ["amd64"], variant: "cloud" },
    });
    expect(driverBody(withDriver(v, "one"))).toEqual({
      driver: "one",
      config: { endpoint: "https://marketplace.opennebula.io", version: "7.4" },
    });
  });
});

describe("changedConfig", () => {
  const stored = market("linuxcontainers", {
    endpoint: "https://images.linuxcontainers.org",
    architectures: ["amd64", "arm64"],
    variant: "default",
  });

  it("sees no change in the same architectures in another order", () => {
    const v = marketFormValues(stored);
    v.config.architectures = ["arm64", "amd64"];
    expect(changedConfig(v, stored)).toEqual({});
  });

  it("sends the architectures and the endpoint that changed", () => {
    const v = marketFormValues(stored);
    v.config.architectures = ["arm64"];
    v.config.endpoint = "https://mirror.example.com/";
    expect(changedConfig(v, stored)).toEqual({ architectures: ["arm64"], endpoint: "https://mirror.example.com/" });
  });
});

describe("marketFieldErrors", () => {
  it("puts a list member's error on the list's field", () => {
    expect(
      marketFieldErrors({ "config.architectures.1": "invalid option", "config.endpoint": "must be an http(s) URL" }),
    ).toEqual({ "config.architectures": "invalid option", "config.endpoint": "must be an http(s) URL" });
  });
});

describe("marketFormValidate", () => {
  const validate = marketFormValidate({ secretRequired: true });
  const form = (driver: MarketplaceDto["driver"]) => withDriver({ ...marketFormValues(), name: "m" }, driver);

  it("checks a version and the architectures of their own driver only", () => {
    const one = form("one");
    one.config.version = "7";
    one.config.architectures = [];
    expect(validate(one)).toEqual({ "config.version": "Version must be an OpenNebula version such as 7.4" });
    one.config.version = "6.10";
    expect(validate(one)).toEqual({});
    const lxc = withDriver(one, "linuxcontainers");
    expect(validate(lxc)).toEqual({ "config.architectures": "Architectures must name at least one" });
  });

  it("requires a public catalog's endpoint but not an s3 one", () => {
    const one = form("one");
    one.config.endpoint = " ";
    expect(validate(one)).toEqual({ "config.endpoint": "Endpoint must be an http(s) URL" });
    const s3 = form("s3");
    Object.assign(s3.config, { accessKeyId: "AKIA", region: "eu-west-1", bucket: "apps" });
    s3.secrets.secretAccessKey = "secret";
    expect(validate(s3)).toEqual({});
  });

  it("asks for an s3 secret when creating only", () => {
    const s3 = form("s3");
    Object.assign(s3.config, { accessKeyId: "AKIA", region: "eu-west-1", bucket: "apps", partSizeMb: 2 });
    expect(validate(s3)).toEqual({
      "config.partSizeMb": "Part size (MB) must be at least 5 MB (S3's minimum part)",
      "secrets.secretAccessKey": "Secret access key is required",
    });
    expect(marketFormValidate({ secretRequired: false })(s3)).toEqual({
      "config.partSizeMb": "Part size (MB) must be at least 5 MB (S3's minimum part)",
    });
  });
});

describe("formatAttribute", () => {
  it("joins lists", () => {
    expect(formatAttribute(["amd64", "arm64"])).toBe("amd64, arm64");
  });
});

describe("the s3 download redirect switch", () => {
  it("starts off, is sent for s3 only, and counts as a change only when flipped", () => {
    const s3 = withDriver(marketFormValues(), "s3");
    expect(s3.config.downloadRedirect).toBe(false);
    s3.config.downloadRedirect = true;
    expect(driverBody(s3).config).toMatchObject({ downloadRedirect: true });
    expect(driverBody(withDriver(s3, "http")).config).not.toHaveProperty("downloadRedirect");
    const stored = market("s3", { ...driverBody(s3).config, downloadRedirect: false });
    expect(changedConfig(s3, stored)).toEqual({ downloadRedirect: true });
    // a marketplace stored before the switch existed shows it off
    expect(marketFormValues(market("s3", { bucket: "b" })).config.downloadRedirect).toBe(false);
  });
});
