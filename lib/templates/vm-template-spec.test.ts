import { describe, expect, it } from "vitest";
import { TemplateSyntaxError, parseTemplate, serializeTemplate } from "./template-text";
import { emptySpec, specToTemplate, templateDisks, templateToSpec, type VmTemplateSpec } from "./vm-template-spec";

const TEXT = `CPU = 0.5
VCPU = "2"
MEMORY = "2048"
LABELS = "web,prod"
OS = [ ARCH = "aarch64", BOOT = "disk0" ]
DISK = [ IMAGE_ID = "3", DEV_PREFIX = "vd", CACHE = "none" ]
DISK = [ TYPE = "swap", SIZE = "1024" ]
DISK = [ IMAGE = "debian", IMAGE_UNAME = "bob" ]
NIC = [ NETWORK_MODE = "auto", MODEL = "virtio" ]
NIC = [ NETWORK = "public" ]
NIC = [ NETWORK_ID = "7" ]
GRAPHICS = [ TYPE = "spice", LISTEN = "0.0.0.0", PASSWD = "s3cret" ]
CONTEXT = [ NETWORK = "YES", SSH_PUBLIC_KEY = "$USER[SSH_PUBLIC_KEY]", START_SCRIPT = "echo hi" ]
SCHED_REQUIREMENTS = "ID != 3"
HYPERVISOR = "kvm"
USER_INPUTS = [ PASSWORD = "M|password|Root password" ]
`;

describe("templateToSpec", () => {
  it("reads the attributes the form edits and keeps the rest", () => {
    const spec = templateToSpec(TEXT);
    expect(spec).toMatchObject({
      cpu: "0.5",
      vcpu: "2",
      memoryMb: "2048",
      hypervisor: "kvm",
      arch: "aarch64",
      osExtra: { BOOT: "disk0" },
      graphics: { type: "SPICE", listen: "0.0.0.0", extra: { PASSWD: "s3cret" } },
      context: { network: true, sshPublicKey: "$USER[SSH_PUBLIC_KEY]", extra: { START_SCRIPT: "echo hi" } },
    });
    expect(spec.disks).toEqual([
      { kind: "image", imageId: "3", devPrefix: "vd", size: "", extra: { CACHE: "none" } },
      { kind: "volatile", type: "swap", size: "1024", extra: {} },
      { kind: "image", imageId: "", devPrefix: "", size: "", extra: { IMAGE: "debian", IMAGE_UNAME: "bob" } },
    ]);
    expect(spec.nics).toEqual([
      { mode: "auto", extra: { MODEL: "virtio" } },
      { mode: "network", network: "public", extra: {} },
      { mode: "network", network: "", extra: { NETWORK_ID: "7" } },
    ]);
    // free attributes keep their order
    expect(parseTemplate(spec.extra)).toEqual([
      { key: "LABELS", value: "web,prod" },
      { key: "SCHED_REQUIREMENTS", value: "ID != 3" },
      { key: "USER_INPUTS", value: { PASSWORD: "M|password|Root password" } },
    ]);
  });

  it("round-trips: text → spec → text keeps every attribute, value and the order of repeated ones", () => {
    const once = specToTemplate(templateToSpec(TEXT));
    const sorted = (t: string) =>
      parseTemplate(t)
        .map((a) => JSON.stringify(a))
        .sort();
    // GRAPHICS TYPE is normalised to upper case; everything else is equal
    expect(sorted(once)).toEqual(sorted(TEXT.replace('"spice"', '"SPICE"')));
    const keys = (t: string) => parseTemplate(t).map((a) => a.key);
    expect(keys(once).filter((k) => k === "DISK" || k === "NIC")).toEqual([
      "DISK",
      "DISK",
      "DISK",
      "NIC",
      "NIC",
      "NIC",
    ]);
    expect(templateDisks(once).map((d) => d.attributes)).toEqual(templateDisks(TEXT).map((d) => d.attributes));
    // and a second pass changes nothing
    expect(specToTemplate(templateToSpec(once))).toBe(once);
  });

  it("round-trips: spec → text → spec is the same spec", () => {
    const spec: VmTemplateSpec = {
      ...emptySpec(),
      cpu: "2",
      vcpu: "4",
      memoryMb: "4096",
      graphics: { type: "VNC", listen: "127.0.0.1", extra: {} },
      context: { network: true, sshPublicKey: "ssh-ed25519 AAAA me@host", extra: {} },
      nics: [
        { mode: "auto", extra: {} },
        { mode: "network", network: "private", extra: {} },
      ],
      disks: [
        { kind: "image", imageId: "12", devPrefix: "vd", size: "20480", extra: {} },
        { kind: "volatile", type: "fs", size: "1024", extra: {} },
      ],
      extra: 'LABELS = "a"\nFEATURES = [\n  ACPI = "yes" ]\n',
    };
    expect(templateToSpec(specToTemplate(spec))).toEqual(spec);
  });

  it("a spec without graphics, context or nics writes none of them", () => {
    const spec = { ...emptySpec(), graphics: { type: "" as const, listen: "", extra: {} } };
    spec.context = { network: false, sshPublicKey: "", extra: {} };
    expect(specToTemplate(spec)).toBe('CPU = "1"\nMEMORY = "1024"\nHYPERVISOR = "kvm"\nOS = [\n  ARCH = "x86_64" ]\n');
  });

  it("keeps a second CPU and an unknown GRAPHICS type as extra attributes", () => {
    const spec = templateToSpec('CPU = 1\nCPU = 2\nGRAPHICS = [ TYPE = "SDL" ]\n');
    expect(spec.cpu).toBe("1");
    expect(spec.graphics.type).toBe("");
    expect(spec.extra).toBe(serializeTemplate(parseTemplate('CPU = 2\nGRAPHICS = [ TYPE = "SDL" ]')));
  });

  it("reports a syntax error in the extra attributes with its line", () => {
    expect(() => specToTemplate({ ...emptySpec(), extra: 'A = "1"\nB = [ C = "x"' })).toThrow(TemplateSyntaxError);
    expect(() => specToTemplate({ ...emptySpec(), extra: 'A = "1"\nB C' })).toThrow(/^line 2, column 3/);
  });
});

describe("templateDisks", () => {
  it("lists the DISK vectors with their index and image id", () => {
    expect(templateDisks(TEXT)).toEqual([
      { index: 0, attributes: { IMAGE_ID: "3", DEV_PREFIX: "vd", CACHE: "none" }, imageId: 3 },
      { index: 1, attributes: { TYPE: "swap", SIZE: "1024" }, imageId: null },
      { index: 2, attributes: { IMAGE: "debian", IMAGE_UNAME: "bob" }, imageId: null },
    ]);
    expect(templateDisks('CPU = 1\nDISK = [ IMAGE_ID = "x" ]')).toEqual([
      { index: 0, attributes: { IMAGE_ID: "x" }, imageId: null },
    ]);
  });
});
