import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig, setConfigForTests } from "@/lib/config";
import { checkAddress, openUrl, parseImportUrl, UrlRefusedError } from "./url-source";

/** The SSRF policy: which addresses a URL import may reach, and which URLs it takes at all. */
const policy = (env: { BAZAAR_URL_ALLOW?: string; BAZAAR_URL_DENY?: string } = {}) =>
  setConfigForTests(parseConfig(env));
const refused = (address: string) => {
  try {
    checkAddress(address);
  } catch (err) {
    expect(err).toBeInstanceOf(UrlRefusedError);
    return (err as Error).message;
  }
  return null;
};

afterEach(() => policy());

describe("checkAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback /8"],
    ["0.0.0.0", "this network"],
    ["10.1.2.3", "10/8"],
    ["172.16.0.1", "172.16/12 start"],
    ["172.31.255.254", "172.16/12 end"],
    ["192.168.1.1", "192.168/16"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["100.64.0.1", "carrier-grade NAT 100.64/10"],
    ["100.127.255.254", "100.64/10 end"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "IPv6 loopback"],
    ["::", "IPv6 unspecified"],
    ["fc00::1", "unique local fc00::/7"],
    ["fd12:3456::1", "unique local fd00::/8"],
    ["fe80::1", "link-local fe80::/10"],
    ["febf::1", "fe80::/10 end"],
    ["ff02::1", "IPv6 multicast"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback, hex"],
    ["::ffff:10.0.0.1", "IPv4-mapped private"],
    ["::ffff:169.254.169.254", "IPv4-mapped link-local"],
    ["::127.0.0.1", "IPv4-compatible loopback"],
    ["64:ff9b::7f00:1", "NAT64 of loopback"],
  ])("refuses %s (%s)", (address) => {
    expect(refused(address)).toMatch(/private, loopback or reserved; allow it with BAZAAR_URL_ALLOW/);
  });

  it.each([
    ["8.8.8.8"],
    ["1.1.1.1"],
    ["172.32.0.1"],
    ["100.128.0.1"],
    ["11.0.0.1"],
    ["2606:4700::1111"],
    ["2a00:1450:4001::200e"],
    ["::ffff:8.8.8.8"],
  ])("lets public %s through", (address) => {
    expect(refused(address)).toBeNull();
  });

  it("allows what BAZAAR_URL_ALLOW lists (IPv4-mapped forms included), and nothing else", () => {
    policy({ BAZAAR_URL_ALLOW: "127.0.0.0/8,fd00::/8" });
    expect(refused("127.0.0.1")).toBeNull();
    expect(refused("::ffff:127.0.0.1")).toBeNull();
    expect(refused("fd00::5")).toBeNull();
    expect(refused("10.0.0.1")).not.toBeNull();
    expect(refused("::1")).not.toBeNull();
  });

  it("denies what BAZAAR_URL_DENY lists before anything is allowed", () => {
    policy({ BAZAAR_URL_ALLOW: "10.0.0.0/8", BAZAAR_URL_DENY: "10.9.0.0/16,8.8.8.0/24" });
    expect(refused("10.1.0.1")).toBeNull();
    expect(refused("10.9.0.1")).toMatch(/denied by BAZAAR_URL_DENY/);
    expect(refused("8.8.8.8")).toMatch(/denied by BAZAAR_URL_DENY/);
    expect(refused("8.8.4.4")).toBeNull();
  });
});

describe("parseImportUrl", () => {
  it("takes http and https URLs", () => {
    expect(parseImportUrl("https://example.org/a.qcow2").hostname).toBe("example.org");
    expect(parseImportUrl("http://example.org:8080/x?y=1").port).toBe("8080");
  });

  it("normalises numeric host forms, so the address check sees the real address", () => {
    expect(parseImportUrl("http://2130706433/").hostname).toBe("127.0.0.1");
    expect(parseImportUrl("http://0x7f.1/").hostname).toBe("127.0.0.1");
    expect(parseImportUrl("http://[::ffff:127.0.0.1]/").hostname).toBe("[::ffff:7f00:1]");
  });

  it.each([
    ["file:///etc/passwd", /only http and https/],
    ["ftp://example.org/x", /only http and https/],
    ["gopher://example.org/", /only http and https/],
    ["javascript:alert(1)", /only http and https/],
    ["http://user:secret@example.org/x", /credentials/],
    ["http://user@example.org/x", /credentials/],
    ["not a url", /not a valid URL/],
    ["http://[::1/", /not a valid URL/],
  ])("refuses %s", (raw, message) => {
    expect(() => parseImportUrl(raw)).toThrow(UrlRefusedError);
    expect(() => parseImportUrl(raw)).toThrow(message);
  });
});

describe("openUrl", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const to = new URL(req.url!, "http://x").searchParams.get("to");
      if (req.url!.startsWith("/redirect")) return res.writeHead(302, { location: to! }).end();
      if (req.url === "/loop") return res.writeHead(301, { location: "/loop" }).end();
      if (req.url === "/gone") return res.writeHead(404).end();
      if (req.url === "/broken") return res.writeHead(503).end();
      res.writeHead(200, { "content-length": "5" }).end("hello");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const allowLoopback = () => policy({ BAZAAR_URL_ALLOW: "127.0.0.0/8" });
  const redirect = (to: string) => `${base}/redirect?to=${encodeURIComponent(to)}`;

  it("refuses a loopback URL unless allowed, before connecting", async () => {
    await expect(openUrl(`${base}/ok`)).rejects.toThrow(/127\.0\.0\.1 is private/);
    // a name is resolved and its address checked: localhost is 127.0.0.1 or ::1
    await expect(openUrl(`http://localhost:1/ok`)).rejects.toThrow(UrlRefusedError);
  });

  it("streams an allowed URL with its length", async () => {
    allowLoopback();
    const res = await openUrl(`${base}/ok`);
    expect(res.length).toBe(5);
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("hello");
    expect(res.finalUrl).toBe(`${base}/ok`);
  });

  it("checks every redirect hop: private addresses, other schemes and loops are refused", async () => {
    allowLoopback();
    expect((await openUrl(redirect(`${base}/ok`))).finalUrl).toBe(`${base}/ok`);
    await expect(openUrl(redirect("http://169.254.169.254/latest/meta-data/"))).rejects.toThrow(
      /169\.254\.169\.254 is private/,
    );
    await expect(openUrl(redirect("http://10.255.255.1/x"))).rejects.toThrow(UrlRefusedError);
    await expect(openUrl(redirect("http://[::ffff:10.0.0.1]/x"))).rejects.toThrow(UrlRefusedError);
    await expect(openUrl(redirect("http://[::1]/x"))).rejects.toThrow(UrlRefusedError);
    await expect(openUrl(redirect("file:///etc/passwd"))).rejects.toThrow(/only http and https/);
    await expect(openUrl(`${base}/loop`)).rejects.toThrow(/too many redirects/);
  });

  it("a 4xx is permanent (UrlRefusedError); a 5xx may be retried (plain Error)", async () => {
    allowLoopback();
    await expect(openUrl(`${base}/gone`)).rejects.toThrow(UrlRefusedError);
    const err = await openUrl(`${base}/broken`).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UrlRefusedError);
    expect((err as Error).message).toContain("HTTP 503");
  });
});
