import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";
import {
  addressMatcher,
  clientAddress,
  forwardedHeaders,
  isValidCidr,
  normalizeAddress,
  parseCidrList,
} from "./forwarding.mjs";

const trusted = addressMatcher(["10.0.0.0/8", "fd00::/8", "127.0.0.1/32"]);
const nobody = addressMatcher([]);

describe("clientAddress (X-Forwarded-For as the server hands it over)", () => {
  it.each([
    ["no trusted proxies: the socket's peer, whatever the client wrote", "6.6.6.6, 203.0.113.5", nobody, "203.0.113.5"],
    ["one trusted proxy: the address it saw", "198.51.100.7, 10.0.0.2", trusted, "198.51.100.7"],
    [
      "spoofed entries left of the real client are ignored",
      "1.1.1.1, 2.2.2.2, 198.51.100.7, 10.0.0.2",
      trusted,
      "198.51.100.7",
    ],
    [
      "a spoofed trusted address on the left is not reached",
      "10.0.0.9, 198.51.100.7, 10.0.0.2",
      trusted,
      "198.51.100.7",
    ],
    ["several trusted proxies are skipped", "198.51.100.7, 10.1.0.1, 10.0.0.2, 127.0.0.1", trusted, "198.51.100.7"],
    ["a peer that is not a proxy is the client", "198.51.100.7, 10.0.0.2, 203.0.113.9", trusted, "203.0.113.9"],
    ["all trusted: the farthest", "10.0.0.3, 10.0.0.2", trusted, "10.0.0.3"],
    ["IPv6 client behind an IPv6 proxy", "2001:db8::1, fd00::2", trusted, "2001:db8::1"],
    ["IPv6 in canonical form", "2001:DB8:0:0::0:1, fd00::2", trusted, "2001:db8::1"],
    ["IPv4-mapped peer matches an IPv4 proxy block", "198.51.100.7, ::ffff:10.0.0.2", trusted, "198.51.100.7"],
    ["IPv4-mapped client becomes plain IPv4", "::ffff:198.51.100.7", nobody, "198.51.100.7"],
    ["a port or brackets a proxy added are dropped", "[2001:db8::1]:4711, 10.0.0.2", trusted, "2001:db8::1"],
    ["an IPv4 address with a port", "198.51.100.7:4711, 10.0.0.2", trusted, "198.51.100.7"],
  ])("%s", (_, xff, matcher, expected) => {
    expect(clientAddress(xff, matcher)).toBe(expected);
  });

  it("is null without a header, and for something that is not an address where the client should be", () => {
    expect(clientAddress(null, trusted)).toBeNull();
    expect(clientAddress("", trusted)).toBeNull();
    expect(clientAddress(" , ", trusted)).toBeNull();
    expect(clientAddress("unknown, 10.0.0.2", trusted)).toBeNull();
    // garbage left of the client is never looked at
    expect(clientAddress("<script>, 198.51.100.7, 10.0.0.2", trusted)).toBe("198.51.100.7");
  });
});

describe("forwardedHeaders (the server's per-request sanitizing)", () => {
  const spoofed = {
    host: "portal.example",
    "x-forwarded-for": "6.6.6.6",
    "x-real-ip": "6.6.6.7",
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "https",
    "x-forwarded-port": "443",
    forwarded: "for=6.6.6.8",
    "user-agent": "curl",
  };

  it("from an untrusted peer drops every forwarding header and names the peer", () => {
    expect(forwardedHeaders(spoofed, "203.0.113.5", trusted)).toEqual({
      host: "portal.example",
      "user-agent": "curl",
      "x-forwarded-for": "203.0.113.5",
    });
  });

  it("from a trusted proxy keeps its headers and appends the peer", () => {
    expect(forwardedHeaders(spoofed, "::ffff:10.0.0.2", trusted)).toEqual({
      ...spoofed,
      "x-forwarded-for": "6.6.6.6, ::ffff:10.0.0.2",
    });
    expect(forwardedHeaders({ host: "h" }, "10.0.0.2", trusted)).toEqual({ host: "h", "x-forwarded-for": "10.0.0.2" });
  });

  it("with no peer (a closed socket) leaves no address at all", () => {
    expect(forwardedHeaders(spoofed, undefined, trusted)).toEqual({ host: "portal.example", "user-agent": "curl" });
  });

  it("does not change the headers it was given", () => {
    const given = { ...spoofed };
    forwardedHeaders(given, "203.0.113.5", nobody);
    expect(given).toEqual(spoofed);
  });

  it("round trip: whatever an untrusted client sends, the app sees its socket address", () => {
    const headers = forwardedHeaders(spoofed, "::ffff:203.0.113.5", nobody);
    expect(clientAddress(headers["x-forwarded-for"] as string, nobody)).toBe("203.0.113.5");
  });
});

describe("addressMatcher", () => {
  it("matches IPv4, IPv6 and IPv4-mapped addresses against their blocks", () => {
    expect(trusted("10.255.0.1")).toBe(true);
    expect(trusted("11.0.0.1")).toBe(false);
    expect(trusted("::ffff:10.0.0.1")).toBe(true);
    expect(trusted("fd12:3456::1")).toBe(true);
    expect(trusted("fe80::1")).toBe(false);
    expect(trusted("127.0.0.2")).toBe(false);
    expect(trusted("not an address")).toBe(false);
    expect(nobody("127.0.0.1")).toBe(false);
  });

  it("is built once per list", () => {
    const cidrs = ["10.0.0.0/8"];
    expect(addressMatcher(cidrs)).toBe(addressMatcher(cidrs));
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["198.51.100.7", "198.51.100.7"],
    [" ::ffff:198.51.100.7 ", "198.51.100.7"],
    ["0:0:0:0:0:FFFF:C633:6407", "198.51.100.7"],
    ["2001:0DB8:0000::0001", "2001:db8::1"],
    ["[::1]:8080", "::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["unknown", null],
    ["", null],
    ["1.2.3.4.5", null],
  ])("%j → %j", (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected);
  });
});

describe("BAZAAR_TRUSTED_PROXIES", () => {
  it("accepts CIDR blocks of either family", () => {
    expect(isValidCidr("10.0.0.0/8")).toBe(true);
    expect(isValidCidr("0.0.0.0/0")).toBe(true);
    expect(isValidCidr("fd00::/8")).toBe(true);
    expect(isValidCidr("::1/128")).toBe(true);
    expect(isValidCidr("10.0.0.0/33")).toBe(false);
    expect(isValidCidr("999.0.0.0/8")).toBe(false);
    expect(isValidCidr("fd00::/129")).toBe(false);
    expect(isValidCidr("10.0.0.1")).toBe(false);
    expect(isValidCidr("fe80::%eth0/64")).toBe(false);
  });

  // The server (parseCidrList) and the app (lib/config.ts) must never read one value two ways.
  it.each([
    [undefined, []],
    ["", []],
    [" , ", []],
    ["10.0.0.0/8", ["10.0.0.0/8"]],
    [" 10.0.0.0/8 , fd00::/8 ,", ["10.0.0.0/8", "fd00::/8"]],
    ["10.0.0.0/33", null],
    ["10.0.0.0", null],
    ["10.0.0.0/8,999.1.1.1/8", null],
    ["localhost/8", null],
  ])("%j is read alike by the server and the app", (value, expected) => {
    const server = () => parseCidrList(value);
    const app = () => parseConfig({ BAZAAR_TRUSTED_PROXIES: value }).trustedProxies;
    if (expected === null) {
      expect(server).toThrow(/CIDR/);
      expect(app).toThrow(ConfigError);
      expect(() => app()).toThrow(/BAZAAR_TRUSTED_PROXIES/);
    } else {
      expect(server()).toEqual(expected);
      expect(app()).toEqual(expected);
    }
  });
});
