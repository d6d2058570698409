import { describe, expect, it } from "vitest";
import { getFirst, parseTemplate } from "@/lib/templates/template-text";
import type { CatalogEntry } from "./catalog-entry";
import fixture from "./fixtures/one-appliances.json";
import { parseOneCatalog } from "./one-catalog";

const ENDPOINT = "https://marketplace.opennebula.io/";
const ALPINE = "a6c1bb6d-8a1e-4ae2-a1d1-5ef8c0b1f3a2";
const ALPINE_OLD = "5f3c0e71-0a2b-4c8d-9e1f-27a4b6c8d0e2";
const UBUNTU_ARM = "d1f0b1c4-3e2a-4b7c-8d9e-0a1b2c3d4e5f";
const ONEKE_STORAGE = "98df67fd-6dbd-49e3-a99d-9b8d8519c418";
const ONEKE_SERVICE = "e73d2dda-1816-4f47-981f-72f1255f94ac";

/** A fresh copy of the fixture, so that a test may change it. */
const catalog = () => structuredClone(fixture) as { appliances: Record<string, unknown>[] };
const parse = (body: unknown = catalog(), endpoint = ENDPOINT) => parseOneCatalog(body, { endpoint });
const entry = (id: string, body?: unknown): CatalogEntry => {
  const found = parse(body).entries.find((e) => e.upstreamId === id);
  if (!found) throw new Error(`no entry ${id}`);
  return found;
};
/** The fixture's first appliance (Alpine 3.20), changed by `patch`, alone in a catalog. */
const alpineWith = (patch: Record<string, unknown>) => ({ appliances: [{ ...catalog().appliances[0], ...patch }] });
const files0 = () => (catalog().appliances[0].files as Record<string, unknown>[])[0];

describe("parseOneCatalog: the fixture", () => {
  it("keeps the readable appliances in catalog order", () => {
    expect(parse().entries.map((e) => [e.name, e.version, e.type])).toEqual([
      ["Alpine Linux 3.20", "6.10.0-2-20240514", "IMAGE"],
      ["Alpine Linux 3.20", "6.8.1-1-20240131", "IMAGE"],
      ["Ubuntu 24.04 aarch64", "6.10.0-2-20241203", "IMAGE"],
      ["OneKE 1.31 OS disk", "1.31.3-6.10.0-2-20241219", "IMAGE"],
      ["OneKE 1.31 Storage disk", "1.31.3-6.10.0-2-20241219", "IMAGE"],
      ["OneKE 1.31 Storage", "1.31.3-6.10.0-2-20241219", "VMTEMPLATE"],
      ["Service OneKE 1.31", "1.31.3-6.10.0-2-20241219", "SERVICE_TEMPLATE"],
    ]);
  });

  it("skips the unusable ones, each with its reason", () => {
    const { skipped } = parse();
    expect(skipped.slice(0, 2)).toEqual([
      { upstreamId: "4fc76a938fb81d3517000003", name: "Ttylinux - KVM", reason: "has no file to download" },
      {
        upstreamId: "56cb3bc88fb81d0315000001",
        name: "FreeBSD 13",
        reason: 'md5 "f89b6b162d794b0c14663b17c05ef7" is not 32 hex digits',
      },
    ]);
    expect(skipped[2]).toMatchObject({ upstreamId: "535fcea68fb81d1c6c000001", name: "Amazon Linux 2023" });
    expect(skipped[2].reason).toMatch(/^opennebula_template is not valid JSON \(.+\)$/);
    expect(skipped).toHaveLength(3);
  });

  it("maps an IMAGE appliance field by field", () => {
    const alpine = entry(ALPINE);
    expect({ ...alpine, vmTemplate: "(below)" }).toEqual({
      upstreamId: ALPINE,
      version: "6.10.0-2-20240514",
      name: "Alpine Linux 3.20",
      type: "IMAGE",
      publisher: "OpenNebula Systems",
      shortDescription: "Alpine Linux 3.20 image for KVM hosts",
      description:
        "[Alpine Linux](https://alpinelinux.org/) 3.20 image for KVM hosts.\n\n" +
        "The [OpenNebula contextualization](https://docs.opennebula.io/) package is installed.",
      tags: ["alpine"],
      architecture: "x86_64", // os-arch amd64
      hypervisor: "kvm", // ALL
      format: "qcow2",
      createdAt: new Date("2024-05-14T14:36:11Z"),
      logoUrl: "https://marketplace.opennebula.io/logos/alpine.png",
      file: {
        url: `https://marketplace.opennebula.io/appliance/${ALPINE}/download/0`,
        size: 268435456,
        md5: "2c6d3b4b9e0f5a7c1d8e9f0a1b2c3d4e",
        sha256: "9f2d6c1e8b7a4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c",
      },
      imageTemplate: { type: "OS", devPrefix: "vd" },
      vmTemplate: "(below)",
      serviceTemplate: "",
      parts: [],
    });
  });

  it("builds the VM template as OpenNebula's driver does, in template text", () => {
    expect(entry(ALPINE).vmTemplate).toBe(
      [
        "CONTEXT = [",
        '  NETWORK = "YES",',
        '  SSH_PUBLIC_KEY = "$USER[SSH_PUBLIC_KEY]" ]',
        'CPU = "1"',
        "GRAPHICS = [",
        '  LISTEN = "0.0.0.0",',
        '  TYPE = "vnc" ]',
        'MEMORY = "256"',
        "OS = [",
        '  ARCH = "x86_64" ]',
        'SCHED_REQUIREMENTS = "HYPERVISOR=\\"kvm\\" & ARCH=\\"x86_64\\""',
        'HYPERVISOR = "kvm"',
        "",
      ].join("\n"),
    );
    expect(getFirst(parseTemplate(entry(ALPINE).vmTemplate), "SCHED_REQUIREMENTS")).toBe(
      'HYPERVISOR="kvm" & ARCH="x86_64"',
    );
  });

  it("keeps both versions of a same-named appliance, with their own ids, sizes and dates", () => {
    const old = entry(ALPINE_OLD);
    expect(old.name).toBe(entry(ALPINE).name);
    expect(old).toMatchObject({
      version: "6.8.1-1-20240131",
      architecture: "x86_64",
      hypervisor: "kvm", // KVM
      tags: ["alpine", "6.8"],
      createdAt: new Date(1706700000 * 1000), // "1706700000", a string
      file: {
        url: `https://marketplace.opennebula.io/appliance/${ALPINE_OLD}/download/0`,
        size: 262144000, // "262144000", a string
        md5: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        sha256: "",
      },
    });
  });

  it("maps an arm64 image to aarch64 with the OS attributes to boot it", () => {
    const arm = entry(UBUNTU_ARM);
    expect(arm.architecture).toBe("aarch64");
    expect(arm.logoUrl).toBe("https://marketplace.opennebula.io/logos/ubuntu.png");
    const template = parseTemplate(arm.vmTemplate);
    expect(template.filter((a) => a.key === "OS")).toEqual([
      {
        key: "OS",
        value: { ARCH: "aarch64", FIRMWARE: "/usr/share/AAVMF/AAVMF_CODE.fd", FIRMWARE_SECURE: "no", MACHINE: "virt" },
      },
    ]);
    expect(getFirst(template, "SCHED_REQUIREMENTS")).toBe('HYPERVISOR="kvm" & ARCH="aarch64"');
  });

  it("takes an image without architecture for any host, with its image type and prefix", () => {
    const disk = parse().entries.find((e) => e.name === "OneKE 1.31 Storage disk");
    expect(disk).toMatchObject({
      architecture: "",
      vmTemplate: "",
      imageTemplate: { type: "DATABLOCK", devPrefix: "sd" },
    });
    expect(disk?.file?.size).toBe(10737418240);
  });

  it("maps a VMTEMPLATE: its disks as parts by name, in order, and no file", () => {
    const storage = entry(ONEKE_STORAGE);
    expect(storage).toMatchObject({
      type: "VMTEMPLATE",
      format: "", // the catalog says qcow2: a template has no format of its own
      file: null,
      imageTemplate: { type: "" },
      serviceTemplate: "",
      logoUrl: "https://marketplace.opennebula.io/logos/kubernetes.png",
      parts: [
        { slot: "DISK_0", name: "OneKE 1.31 OS disk" },
        { slot: "DISK_1", name: "OneKE 1.31 Storage disk" },
      ],
    });
    const template = parseTemplate(storage.vmTemplate);
    // empty values (INPUTS_ORDER "", USER_INPUTS {}) are left out, as OpenNebula's driver does
    expect(template.map((a) => a.key)).toEqual([
      "CONTEXT",
      "CPU",
      "VCPU",
      "GRAPHICS",
      "MEMORY",
      "OS",
      "SCHED_REQUIREMENTS",
      "HYPERVISOR",
    ]);
    expect(template[0].value).toMatchObject({ GROW_FS: "/ /var/lib/longhorn", SERVICE_ID: "$SERVICE_ID" });
  });

  it("maps a SERVICE_TEMPLATE: its OneFlow JSON as given and its roles as parts", () => {
    const service = entry(ONEKE_SERVICE);
    const raw = catalog().appliances.find((a) => a.name === "Service OneKE 1.31")?.opennebula_template;
    expect(service).toMatchObject({
      type: "SERVICE_TEMPLATE",
      format: "",
      file: null,
      vmTemplate: "",
      serviceTemplate: raw,
      parts: [
        { slot: "master", name: "OneKE 1.31" },
        { slot: "worker", name: "OneKE 1.31" },
        { slot: "storage", name: "OneKE 1.31 Storage" },
      ],
    });
    expect(JSON.parse(service.serviceTemplate).roles.map((r: { name: string }) => r.name)).toEqual([
      "master",
      "worker",
      "storage",
    ]);
  });
});

describe("parseOneCatalog: the endpoint", () => {
  it.each([
    "https://marketplace.opennebula.io",
    "https://marketplace.opennebula.io/",
    "https://marketplace.opennebula.io//",
  ])("makes the same download URL from %s", (endpoint) => {
    const alpine = parse(catalog(), endpoint).entries[0];
    expect(alpine.file?.url).toBe(`https://marketplace.opennebula.io/appliance/${ALPINE}/download/0`);
    expect(alpine.logoUrl).toBe("https://marketplace.opennebula.io/logos/alpine.png");
  });

  it("keeps the endpoint's path", () => {
    const alpine = parse(alpineWith({ logo: "logos/alpine.png" }), "http://mirror.example.org/one/").entries[0];
    expect(alpine.file?.url).toBe(`http://mirror.example.org/one/appliance/${ALPINE}/download/0`);
    expect(alpine.logoUrl).toBe("http://mirror.example.org/one/logos/alpine.png");
  });

  it("refuses an endpoint that is not an http(s) URL", () => {
    expect(() => parse(catalog(), "marketplace.opennebula.io")).toThrow(/is not a URL/);
    expect(() => parse(catalog(), "ftp://marketplace.opennebula.io/")).toThrow(/not an http\(s\) URL/);
  });
});

describe("parseOneCatalog: the answer", () => {
  it.each([
    [{}, "the answer has no appliances list"],
    [[], "the answer is a list, not an appliances list"],
    [null, "the answer is not a JSON object"],
    [{ appliances: {} }, "the answer's appliances is not a list"],
  ])("throws for %j", (body, message) => {
    expect(() => parse(body)).toThrow(message);
  });

  it("reads an empty list as no appliances", () => {
    expect(parse({ sEcho: 1, appliances: [] })).toEqual({ entries: [], skipped: [] });
  });

  it("skips what is not an appliance and keeps the rest", () => {
    const body = catalog();
    body.appliances.unshift("junk" as never, { _id: { $oid: 7 }, name: "Bad id" });
    const { entries, skipped } = parse(body);
    expect(entries).toHaveLength(7);
    expect(skipped.slice(0, 2)).toEqual([
      { upstreamId: "", name: "", reason: "is not an object" },
      { upstreamId: "", name: "Bad id", reason: expect.stringMatching(/^malformed appliance: _id\.\$oid: /) },
    ]);
  });

  it("keeps the first of two listings with the same id and version", () => {
    const body = catalog();
    body.appliances.push({ ...body.appliances[0], name: "Alpine again" });
    const { entries, skipped } = parse(body);
    expect(entries.filter((e) => e.upstreamId === ALPINE).map((e) => e.name)).toEqual(["Alpine Linux 3.20"]);
    expect(skipped.at(-1)).toEqual({
      upstreamId: ALPINE,
      name: "Alpine again",
      reason: 'is listed twice with version "6.10.0-2-20240514"',
    });
  });
});

describe("parseOneCatalog: one appliance", () => {
  const only = (patch: Record<string, unknown>) => parse(alpineWith(patch));
  const reason = (patch: Record<string, unknown>) => only(patch).skipped[0]?.reason;

  it("cleans names: controls removed, trimmed, cut at 128 characters", () => {
    expect(only({ name: "  Alpine\u0007 Linux\u202E\t3.20 \n" }).entries[0].name).toBe("Alpine Linux 3.20");
    const long = only({ name: `${"é".repeat(127)}😀😀` }).entries[0].name;
    expect(Array.from(long)).toHaveLength(128);
    expect(long.endsWith("😀")).toBe(true);
  });

  it("skips an appliance without a name or an id", () => {
    expect(reason({ name: " \u0000 " })).toBe("has no name");
    expect(reason({ _id: undefined })).toBe("has no id");
    expect(reason({ _id: { $oid: "../../etc" } })).toBe('id "../../etc" cannot name a download URL');
  });

  it("keeps only string tags, once each", () => {
    expect(only({ tags: ["alpine", 3.2, null, " linux ", "alpine", ""] }).entries[0].tags).toEqual(["alpine", "linux"]);
    expect(only({ tags: "alpine, linux" }).entries[0].tags).toEqual(["alpine", "linux"]);
    expect(only({ tags: undefined }).entries[0].tags).toEqual([]);
  });

  it("reads creation_time as unix seconds, or no date", () => {
    const at = (v: unknown) => only({ creation_time: v }).entries[0].createdAt;
    expect(at(0)).toEqual(new Date(0));
    expect(at(" 1715697371 ")).toEqual(new Date("2024-05-14T14:36:11Z"));
    expect(at("autofill")).toBeNull();
    expect(at(-5)).toBeNull();
    expect(at(undefined)).toBeNull();
  });

  it("keeps an http(s) logo, resolves a relative one and drops the rest", () => {
    const logo = (v: unknown) => only({ logo: v }).entries[0].logoUrl;
    expect(logo("http://cdn.example.org/a.png")).toBe("http://cdn.example.org/a.png");
    expect(logo("/logos/b.png")).toBe("https://marketplace.opennebula.io/logos/b.png");
    expect(logo("javascript:alert(1)")).toBe("");
    expect(logo("data:image/png;base64,AAAA")).toBe("");
    expect(logo(undefined)).toBe("");
  });

  it("maps architectures and hypervisors as OpenNebula's driver does", () => {
    const arch = (v: unknown) => only({ "os-arch": v }).entries[0]?.architecture;
    expect([arch("amd64"), arch("X86_64"), arch("arm64"), arch("aarch64"), arch("all"), arch(undefined)]).toEqual([
      "x86_64",
      "x86_64",
      "aarch64",
      "aarch64",
      "",
      "",
    ]);
    expect(reason({ "os-arch": "ppc64le" })).toBe('architecture "ppc64le" is not x86_64 or aarch64');
    const hyper = (v: unknown) => only({ hypervisor: v }).entries[0]?.hypervisor;
    expect([hyper("ALL"), hyper(""), hyper(undefined), hyper("LXC"), hyper("vCenter")]).toEqual([
      "kvm",
      "kvm",
      "kvm",
      "lxc",
      "vcenter",
    ]);
    expect(reason({ hypervisor: 'kvm" | CPU' })).toMatch(/is not a hypervisor name$/);
  });

  it("leaves out the ARCH requirement when any architecture will do", () => {
    const template = parseTemplate(only({ "os-arch": "all" }).entries[0].vmTemplate);
    expect(getFirst(template, "SCHED_REQUIREMENTS")).toBe('HYPERVISOR="kvm"');
  });

  it("skips an image without a file or a size, or with a size that is not bytes", () => {
    expect(reason({ files: [] })).toBe("has no file to download");
    expect(reason({ files: undefined })).toBe("has no file to download");
    expect(reason({ files: [{ ...files0(), size: undefined }] })).toBe("has no file to download");
    expect(reason({ files: [{ ...files0(), size: 0 }] })).toBe("has no file to download");
    expect(reason({ files: [{ ...files0(), size: "2 GB" }] })).toBe('file size "2 GB" is not a whole number of bytes');
    expect(reason({ files: [{ ...files0(), size: 1.5 }] })).toBe("file size 1.5 is not a whole number of bytes");
  });

  it("keeps an image without checksums, and skips one whose checksum cannot be verified", () => {
    const bare = { ...files0(), md5: undefined, checksum: undefined };
    expect(only({ files: [bare] }).entries[0].file).toMatchObject({ md5: "", sha256: "" });
    expect(
      only({ files: [{ ...bare, checksum: { md5: "1d4589798b8a63a6afa7150492ca3193" } }] }).entries[0].file?.md5,
    ).toBe("1d4589798b8a63a6afa7150492ca3193");
    expect(reason({ files: [{ ...bare, md5: "xyz" }] })).toBe('md5 "xyz" is not 32 hex digits');
    expect(reason({ files: [{ ...bare, sha256: "abc" }] })).toBe('sha256 "abc" is not 64 hex digits');
  });

  it("takes the image type and prefix from the file: OS by default, known types only", () => {
    const image = (file: Record<string, unknown>) => only({ files: [{ ...files0(), ...file }] });
    expect(image({ type: undefined, dev_prefix: undefined }).entries[0].imageTemplate).toEqual({ type: "OS" });
    expect(image({ type: "cdrom", dev_prefix: "SD" }).entries[0].imageTemplate).toEqual({
      type: "CDROM",
      devPrefix: "sd",
    });
    expect(image({ type: "FLOPPY" }).skipped[0].reason).toMatch(/^image type "FLOPPY" is not one of OS, CDROM/);
    expect(image({ dev_prefix: "vd; rm" }).skipped[0].reason).toBe('dev_prefix "vd; rm" is not a device prefix');
  });

  it("leaves out parts whose name is not text or is blank", () => {
    const template = only({ type: "VMTEMPLATE", disks: ["OS disk", 3, " \u0000", "Data disk"] }).entries[0];
    expect(template.parts).toEqual([
      { slot: "DISK_0", name: "OS disk" },
      { slot: "DISK_1", name: "Data disk" },
    ]);
    const service = only({ type: "SERVICE_TEMPLATE", roles: { web: " Web ", db: null, " ": "X", lb: "" } }).entries[0];
    expect(service.parts).toEqual([{ slot: "web", name: "Web" }]);
  });

  it("takes IMAGE when the type is missing, and skips an unknown type", () => {
    expect(only({ type: undefined }).entries[0].type).toBe("IMAGE");
    expect(only({ type: "vmtemplate", disks: ["X"] }).entries[0].type).toBe("VMTEMPLATE");
    expect(reason({ type: "DOCKER" })).toBe('type "DOCKER" is not known');
  });

  it("writes numbers as text, leaves lists and nested objects out, keeps the publisher's own settings", () => {
    const template = {
      cpu: 0.5,
      memory: 512,
      disk: [{ size: "1024" }],
      graphics: { type: "vnc", extra: { deep: "x" } },
      sched_requirements: 'ID="3"',
      os: { arch: "aarch64", firmware: "UEFI" },
    };
    const e = only({ opennebula_template: JSON.stringify(template), "os-arch": "arm64" }).entries[0];
    expect(parseTemplate(e.vmTemplate)).toEqual([
      { key: "CPU", value: "0.5" },
      { key: "MEMORY", value: "512" },
      { key: "GRAPHICS", value: { TYPE: "vnc" } },
      { key: "SCHED_REQUIREMENTS", value: 'ID="3"' },
      {
        key: "OS",
        value: { ARCH: "aarch64", FIRMWARE: "UEFI", FIRMWARE_SECURE: "no", MACHINE: "virt" },
      },
      { key: "HYPERVISOR", value: "kvm" },
    ]);
  });

  it("skips a template that is not an object or cannot be written as template text", () => {
    expect(reason({ opennebula_template: "[1, 2]" })).toBe("opennebula_template is not a JSON object");
    expect(reason({ opennebula_template: JSON.stringify({ "os-arch": "x" }) })).toBe(
      'opennebula_template: invalid attribute name "OS-ARCH"',
    );
    expect(reason({ opennebula_template: JSON.stringify({ START: "C:\\" }) })).toMatch(
      /^opennebula_template: START: a template value cannot end with a backslash$/,
    );
  });

  it("skips a template that Bazaar could not read back", () => {
    const huge = JSON.stringify({ cpu: "1", start_script: "x".repeat(70 * 1024) });
    expect(reason({ opennebula_template: huge })).toMatch(
      /^opennebula_template: line \d+, column \d+: the template is larger than 64 KiB$/,
    );
  });

  it("takes no template when the catalog gives none", () => {
    expect(only({ opennebula_template: "" }).entries[0].vmTemplate).toBe("");
    expect(only({ opennebula_template: null }).entries[0].vmTemplate).toBe("");
  });

  it("falls back to the description's first line, and to version 0.0", () => {
    const e = only({
      short_description: undefined,
      description: "\n  First line.\r\nSecond.\u0007",
      version: undefined,
    }).entries[0];
    expect(e.shortDescription).toBe("First line.");
    expect(e.description).toBe("First line.\nSecond.");
    expect(e.version).toBe("0.0");
    expect(only({ version: 2.1 }).entries[0].version).toBe("2.1");
  });
});
