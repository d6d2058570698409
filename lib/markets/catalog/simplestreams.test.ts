import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { getAll, getFirst, parseTemplate } from "@/lib/templates/template-text";
import { attributeProblems } from "@/lib/templates/vm-template-rules";
import type { CatalogEntry } from "./catalog-entry";
import indexFixture from "./fixtures/streams-index.json";
import imagesFixture from "./fixtures/streams-images.json";
import {
  parseSimplestreams,
  parseStreamsIndex,
  simplestreamsUrl,
  versionDate,
  type SimplestreamsOptions,
} from "./simplestreams";

const ENDPOINT = "https://images.linuxcontainers.org/";
const DEFAULTS: SimplestreamsOptions = { endpoint: ENDPOINT, architectures: ["amd64", "arm64"], variant: "default" };

const NOBLE_AMD64_SHA = "8befe82c92524363dbeda6e5d4fb2b0e7c4e11da7b26b52f49d1775b286849cd";
const NOBLE_ARM64_SHA = "8c807e147274e95ec349d678d55386c35c7931d933cee3171020603b752b3109";
const HEX64 = "a".repeat(64);

function parse(opts: Partial<SimplestreamsOptions> = {}, body: unknown = imagesFixture) {
  return parseSimplestreams(body, { ...DEFAULTS, ...opts });
}

function entry(id: string, opts: Partial<SimplestreamsOptions> = {}, body: unknown = imagesFixture): CatalogEntry {
  const found = parse(opts, body).entries.find((e) => e.upstreamId === id);
  if (!found) throw new Error(`no entry ${id}`);
  return found;
}

/** A product list holding one product, shaped like the fixture's. */
function oneProduct(product: Record<string, unknown>, key = "ubuntu:noble:amd64:default") {
  return { content_id: "images", datatype: "image-downloads", format: "products:1.0", products: { [key]: product } };
}

function product(items: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    arch: "amd64",
    os: "Ubuntu",
    release: "noble",
    release_title: "24.04 LTS",
    versions: { "20241201_07:42": { items } },
    ...extra,
  };
}

const disk = (fields: Record<string, unknown>) => ({ "disk.qcow2": { ftype: "disk-kvm.img", ...fields } });

describe("parseStreamsIndex", () => {
  it("returns the path of the image-downloads product list", () => {
    expect(parseStreamsIndex(indexFixture)).toEqual({ imagesPath: "streams/v1/images.json" });
  });

  it("prefers the list keyed images and ignores other datatypes and empty lists", () => {
    const body = {
      format: "index:1.0",
      index: {
        "a-empty": { datatype: "image-downloads", path: "streams/v1/empty.json", products: [] },
        "b-other": { datatype: "image-ids", path: "streams/v1/ids.json", products: ["x"] },
        "c-more": { datatype: "image-downloads", path: "streams/v1/more.json", products: ["y"] },
        images: { datatype: "image-downloads", path: "streams/v1/images.json", products: ["z"] },
      },
    };
    expect(parseStreamsIndex(body).imagesPath).toBe("streams/v1/images.json");
    const { images: _images, ...rest } = body.index;
    expect(parseStreamsIndex({ ...body, index: rest }).imagesPath).toBe("streams/v1/more.json");
  });

  it.each([
    ["not an object", [], /not a JSON object/],
    ["no index", { format: "index:1.0" }, /no "index" object/],
    ["an index that is a list", { index: [] }, /no "index" object/],
    ["another format", { format: "products:1.0", index: {} }, /format "products:1.0", not "index:1.0"/],
    [
      "no image-downloads list",
      { index: { ids: { datatype: "image-ids", path: "streams/v1/ids.json" } } },
      /no "image-downloads" product list/,
    ],
    ["a list without path", { index: { images: { datatype: "image-downloads" } } }, /entry "images" has no "path"/],
    [
      "a path that climbs out",
      { index: { images: { datatype: "image-downloads", path: "streams/../../etc/images.json" } } },
      /does not stay under the endpoint/,
    ],
  ])("throws on %s", (_what, body, message) => {
    expect(() => parseStreamsIndex(body)).toThrow(message);
    expect(() => parseStreamsIndex(body)).toThrow(AppError);
  });
});

describe("parseSimplestreams: filters", () => {
  it("offers amd64 and arm64 default products with a VM disk, in product-key order", () => {
    expect(parse().entries.map((e) => e.upstreamId)).toEqual([
      "almalinux:9:amd64:default",
      "ubuntu:noble:amd64:default",
      "ubuntu:noble:arm64:default",
    ]);
  });

  it("leaves other variants and architectures out silently, even malformed ones", () => {
    const { entries, skipped } = parse();
    const seen = [...entries, ...skipped].map((e) => e.upstreamId);
    expect(seen).not.toContain("debian:bookworm:amd64:cloud");
    // riscv64 also has no "os": it is filtered before it is validated
    expect(seen).not.toContain("debian:bookworm:riscv64:default");
  });

  it("keeps only the asked architectures", () => {
    expect(parse({ architectures: ["arm64"] }).entries.map((e) => e.upstreamId)).toEqual([
      "ubuntu:noble:arm64:default",
    ]);
    expect(parse({ architectures: [] })).toEqual({ entries: [], skipped: [] });
  });

  it("keeps only the asked variant, and names it", () => {
    const result = parse({ variant: "cloud" });
    expect(result.entries.map((e) => [e.upstreamId, e.name])).toEqual([
      ["debian:bookworm:amd64:cloud", "Debian bookworm cloud (x86_64)"],
    ]);
    expect(result.skipped).toEqual([]);
  });

  it("treats a product without a variant as the default variant", () => {
    const body = oneProduct(product(disk({ path: "images/d.qcow2", sha256: HEX64, size: 10 })));
    expect(parse({}, body).entries).toHaveLength(1);
    expect(parse({ variant: "cloud" }, body).entries).toHaveLength(0);
  });
});

describe("parseSimplestreams: versions", () => {
  it("takes the newest version and its disk, not an older one or a delta", () => {
    const e = entry("ubuntu:noble:amd64:default");
    expect(e.version).toBe("20241201_07:42");
    expect(e.file).toEqual({
      url: "https://images.linuxcontainers.org/images/ubuntu/noble/amd64/default/20241201_07:42/disk.qcow2",
      size: 548274176,
      md5: "",
      sha256: NOBLE_AMD64_SHA,
    });
  });

  it("falls back to the newest version that has a VM disk when the latest is container-only", () => {
    const e = entry("ubuntu:noble:arm64:default");
    expect(e.version).toBe("20241130_07:42");
    expect(e.file?.sha256).toBe(NOBLE_ARM64_SHA);
    expect(e.file?.size).toBe(512753664);
  });

  it("orders version keys as text, whatever their order in the document", () => {
    const versions = {
      "20241201_07:42": { items: disk({ path: "images/new.qcow2", sha256: HEX64, size: 2 }) },
      "20241130_23:59": { items: disk({ path: "images/old.qcow2", sha256: HEX64, size: 1 }) },
      "20241201_07:05": { items: disk({ path: "images/mid.qcow2", sha256: HEX64, size: 3 }) },
    };
    const e = entry("ubuntu:noble:amd64:default", {}, oneProduct({ ...product({}), versions }));
    expect([e.version, e.file?.size]).toEqual(["20241201_07:42", 2]);
  });

  it("finds the disk by its ftype whatever its key, and keeps an md5 when given", () => {
    const e = entry("almalinux:9:amd64:default");
    expect(e.file).toEqual({
      url: "https://images.linuxcontainers.org/images/ce351c2c72ed72e12c7f9f7190f79c8fd393334db751bf5b96a554c80c3aac78.qcow2",
      size: 689438720,
      md5: "532c8fcfcc83abff45ce4e01ef165b6c",
      sha256: "d043195fc1e9ed526ae60bdd2c078ac1c9b0b42b3af26d856b0b515a1a0c20fb",
    });
  });

  it("reads the build time from the version key in UTC", () => {
    expect(entry("ubuntu:noble:amd64:default").createdAt?.toISOString()).toBe("2024-12-01T07:42:00.000Z");
    expect(versionDate("20240202")?.toISOString()).toBe("2024-02-02T00:00:00.000Z");
    expect(versionDate("20240202.10")?.toISOString()).toBe("2024-02-02T00:00:00.000Z");
    expect(versionDate("20241345_07:42")).toBeNull();
    expect(versionDate("20241201_25:00")).toBeNull();
    expect(versionDate("1.0")).toBeNull();
  });
});

describe("parseSimplestreams: entries", () => {
  it("describes a VM disk image completely", () => {
    const { vmTemplate, ...rest } = entry("ubuntu:noble:amd64:default");
    expect(rest).toEqual({
      upstreamId: "ubuntu:noble:amd64:default",
      version: "20241201_07:42",
      name: "Ubuntu 24.04 LTS noble (x86_64)",
      type: "IMAGE",
      publisher: "images.linuxcontainers.org",
      shortDescription: "Ubuntu 24.04 LTS noble virtual machine disk (qcow2) for x86_64, build 20241201_07:42",
      description: [
        'Ubuntu 24.04 LTS noble, "default" variant, as a UEFI-booting qcow2 virtual machine disk for x86_64.',
        "Build 20241201_07:42 of ubuntu:noble:amd64:default on images.linuxcontainers.org.",
        "Aliases: ubuntu/noble/default, ubuntu/noble, ubuntu/24.04/default, ubuntu/24.04",
      ].join("\n"),
      tags: ["ubuntu", "noble"],
      architecture: "x86_64",
      hypervisor: "kvm",
      format: "qcow2",
      createdAt: new Date("2024-12-01T07:42:00Z"),
      logoUrl: "",
      file: {
        url: "https://images.linuxcontainers.org/images/ubuntu/noble/amd64/default/20241201_07:42/disk.qcow2",
        size: 548274176,
        md5: "",
        sha256: NOBLE_AMD64_SHA,
      },
      imageTemplate: { type: "OS" },
      serviceTemplate: "",
      parts: [],
    });
    expect(vmTemplate).not.toBe("");
  });

  it("names arm64 builds aarch64 and adds the codename only when the title lacks it", () => {
    expect(entry("ubuntu:noble:arm64:default").name).toBe("Ubuntu 24.04 LTS noble (aarch64)");
    expect(entry("ubuntu:noble:arm64:default").architecture).toBe("aarch64");
    expect(entry("almalinux:9:amd64:default").name).toBe("AlmaLinux 9 (x86_64)");
    const untitled = oneProduct(product(disk({ path: "d.qcow2", sha256: HEX64, size: 1 }), { release_title: 7 }));
    expect(entry("ubuntu:noble:amd64:default", {}, untitled).name).toBe("Ubuntu noble (x86_64)");
  });

  it("keeps names unique when two products read alike", () => {
    const p = product(disk({ path: "d.qcow2", sha256: HEX64, size: 1 }));
    const body = { products: { "ubuntu:noble:amd64:default": p, "ubuntu-mirror:noble:amd64:default": p } };
    // products are read in key order ("-" before ":"), so the mirror keeps the plain name
    expect(parse({}, body).entries.map((e) => [e.upstreamId, e.name])).toEqual([
      ["ubuntu-mirror:noble:amd64:default", "Ubuntu 24.04 LTS noble (x86_64)"],
      ["ubuntu:noble:amd64:default", "Ubuntu 24.04 LTS noble (x86_64) [ubuntu:noble:amd64:default]"],
    ]);
  });

  it("lists requirements in the description", () => {
    const body = oneProduct(
      product(disk({ path: "d.qcow2", sha256: HEX64, size: 1 }), { requirements: { secureboot: "false" } }),
    );
    expect(entry("ubuntu:noble:amd64:default", {}, body).description).toContain("Requirements: secureboot=false");
  });

  it("ignores fields it does not know", () => {
    const body = {
      ...oneProduct(
        product(disk({ path: "d.qcow2", sha256: HEX64, size: 1, delta_base: "x", extra: [1] }), { supported: true }),
      ),
      license: "whatever",
      updated: "Sun, 01 Dec 2024 21:04:37 +0000",
    };
    expect(parse({}, body).entries.map((e) => e.file?.size)).toEqual([1]);
  });
});

describe("parseSimplestreams: URLs", () => {
  const path = "images/ubuntu/noble/amd64/default/20241201_07:42/disk.qcow2";
  const url = (endpoint: string) => entry("ubuntu:noble:amd64:default", { endpoint }).file?.url;

  it("joins endpoint and path with one slash, with or without a trailing slash", () => {
    expect(url("https://images.linuxcontainers.org")).toBe(`https://images.linuxcontainers.org/${path}`);
    expect(url("https://images.linuxcontainers.org/")).toBe(`https://images.linuxcontainers.org/${path}`);
    expect(url("https://mirror.example.org/lxc")).toBe(`https://mirror.example.org/lxc/${path}`);
    expect(url("https://mirror.example.org/lxc/")).toBe(`https://mirror.example.org/lxc/${path}`);
    expect(entry("ubuntu:noble:amd64:default", { endpoint: "http://10.0.0.5:8443/" }).publisher).toBe("10.0.0.5:8443");
  });

  it("does not double a slash the path starts with", () => {
    expect(simplestreamsUrl("https://example.org/", "/images/a.qcow2")).toBe("https://example.org/images/a.qcow2");
  });

  it.each(["../../etc/passwd", "images/%2e%2e/%2E%2E/x", "images/a.qcow2?x=1", "images\\..\\x"])(
    "refuses %s, which would leave the endpoint",
    (bad) => {
      expect(() => simplestreamsUrl("https://example.org/lxc/", bad)).toThrow(/does not stay under the endpoint/);
    },
  );

  it("skips a product whose disk path leaves the endpoint", () => {
    const body = oneProduct(product(disk({ path: "../other/disk.qcow2", sha256: HEX64, size: 1 })));
    expect(parse({}, body)).toEqual({
      entries: [],
      skipped: [
        {
          upstreamId: "ubuntu:noble:amd64:default",
          name: "Ubuntu 24.04 LTS noble (x86_64)",
          reason:
            'the VM disk image of version 20241201_07:42: the path "../other/disk.qcow2" does not stay under the endpoint',
        },
      ],
    });
  });

  it.each(["ftp://images.example.org/", "images.linuxcontainers.org", ""])("refuses the endpoint %j", (endpoint) => {
    expect(() => parse({ endpoint })).toThrow(/endpoint/);
  });
});

describe("parseSimplestreams: skipped products", () => {
  it("reports container-only products and disks without a checksum", () => {
    expect(parse().skipped).toEqual([
      { upstreamId: "alpine:3.20:amd64:default", name: "Alpine 3.20 (x86_64)", reason: "has no VM disk image" },
      {
        upstreamId: "fedora:41:amd64:default",
        name: "Fedora 41 (x86_64)",
        reason: "the VM disk image of version 20241201_20:33 has no sha256",
      },
    ]);
  });

  it.each([
    [{ path: "d.qcow2", sha256: HEX64 }, "has no size"],
    [{ path: "d.qcow2", sha256: HEX64, size: "1" }, "has no size"],
    [{ path: "d.qcow2", sha256: HEX64, size: 0 }, "has a size that is not a positive number of bytes"],
    [{ path: "d.qcow2", sha256: HEX64, size: 1.5 }, "has a size that is not a whole number of bytes"],
    [{ path: "d.qcow2", sha256: "abc", size: 1 }, "has a sha256 that is not 64 hex digits"],
    [{ sha256: HEX64, size: 1 }, "has no path"],
    [{ path: "d.qcow2", sha256: HEX64, size: 1, md5: "xyz" }, "has an md5 that is not 32 hex digits"],
    [{ path: "d.qcow2" }, "has no sha256, has no size"],
  ])("skips a disk item %j: %s", (fields, reason) => {
    expect(parse({}, oneProduct(product(disk(fields)))).skipped).toEqual([
      {
        upstreamId: "ubuntu:noble:amd64:default",
        name: "Ubuntu 24.04 LTS noble (x86_64)",
        reason: `the VM disk image of version 20241201_07:42 ${reason}`,
      },
    ]);
  });

  it("skips a malformed product with its reason and keeps the others", () => {
    const good = product(disk({ path: "d.qcow2", sha256: HEX64, size: 1 }));
    const body = {
      products: {
        "broken:1:amd64:default": { arch: "amd64", release: "1", versions: {} },
        "strange:1:amd64:default": "not a product",
        "ubuntu:noble:amd64:default": good,
      },
    };
    const result = parse({}, body);
    expect(result.entries.map((e) => e.upstreamId)).toEqual(["ubuntu:noble:amd64:default"]);
    expect(result.skipped.map((s) => [s.upstreamId, s.name])).toEqual([
      ["broken:1:amd64:default", "broken:1:amd64:default"],
      ["strange:1:amd64:default", "strange:1:amd64:default"],
    ]);
    expect(result.skipped[0].reason).toMatch(/^malformed product: os: /);
    expect(result.skipped[1].reason).toMatch(/^malformed product: /);
  });

  it("treats a version without items as one without a disk", () => {
    const body = oneProduct({ ...product({}), versions: { "20241201_07:42": { pubname: "x" } } });
    expect(parse({}, body).skipped.map((s) => s.reason)).toEqual(["has no VM disk image"]);
  });
});

describe("parseSimplestreams: the product list itself", () => {
  it.each([
    ["not an object", "images", /not a JSON object/],
    ["no products", { format: "products:1.0" }, /no "products" object/],
    ["another format", { format: "index:1.0", products: {} }, /format "index:1.0", not "products:1.0"/],
    ["another datatype", { datatype: "image-ids", products: {} }, /datatype "image-ids", not "image-downloads"/],
  ])("throws on %s", (_what, body, message) => {
    expect(() => parse({}, body)).toThrow(message);
  });
});

describe("parseSimplestreams: VM template", () => {
  it("is OpenNebula template text for a KVM VM of the disk's architecture, without a DISK", () => {
    const t = parseTemplate(entry("ubuntu:noble:amd64:default").vmTemplate);
    expect([getFirst(t, "CPU"), getFirst(t, "VCPU"), getFirst(t, "MEMORY")]).toEqual(["1", "2", "768"]);
    expect(getAll(t, "OS")).toEqual([{ ARCH: "x86_64", FIRMWARE: "UEFI" }]);
    expect(getFirst(t, "SCHED_REQUIREMENTS")).toBe('HYPERVISOR="kvm" & ARCH="x86_64"');
    expect(getAll(t, "CONTEXT")).toEqual([
      { NETWORK: "YES", SSH_PUBLIC_KEY: "$USER[SSH_PUBLIC_KEY]", SET_HOSTNAME: "$NAME" },
    ]);
    expect(getAll(t, "DISK")).toEqual([]);
    expect(attributeProblems(t)).toEqual([]);
  });

  it("boots arm64 disks on the virt machine of aarch64 hosts", () => {
    const t = parseTemplate(entry("ubuntu:noble:arm64:default").vmTemplate);
    expect(getAll(t, "OS")).toEqual([{ ARCH: "aarch64", FIRMWARE: "UEFI", MACHINE: "virt" }]);
    expect(getFirst(t, "SCHED_REQUIREMENTS")).toBe('HYPERVISOR="kvm" & ARCH="aarch64"');
    expect(attributeProblems(t)).toEqual([]);
  });
});
