import { describe, expect, it } from "vitest";
import { parseOneCatalog } from "@/lib/markets/catalog/one-catalog";
import { parseTemplate } from "@/lib/templates/template-text";
import { serviceJson, templateJson, toAppliance, type CatalogApp } from "./appliance";

const base: CatalogApp = {
  id: 7,
  name: "Alpine 3.20",
  type: "IMAGE",
  version: "1.2",
  publisher: "Bazaar",
  description: "# Alpine\n\nSmall.",
  shortDescription: "Alpine for KVM",
  tags: ",alpine,linux,",
  hypervisor: "kvm",
  architecture: "x86_64",
  format: "qcow2",
  sizeBytes: 1234n,
  md5: "a".repeat(32),
  sha256: "b".repeat(64),
  imageTemplate: JSON.stringify({ type: "OS", devPrefix: "vd" }),
  vmTemplate: 'CPU = "1"\nMEMORY = "256"\nCONTEXT = [\n  NETWORK = "YES"\n]\n',
  serviceTemplate: "",
  logoUrl: "https://logos.example.org/alpine.png",
  createdAt: new Date("2025-01-01T00:00:00Z"),
};

const endpoint = "http://portal.example/catalog/3";

describe("toAppliance", () => {
  it("writes an IMAGE app as the OpenNebula marketplace does, and the one driver reads it back", () => {
    const a = toAppliance(base);
    expect(a).toMatchObject({
      _id: { $oid: "7" },
      name: "Alpine 3.20",
      type: "IMAGE",
      version: "1.2",
      publisher: "Bazaar",
      format: "qcow2",
      short_description: "Alpine for KVM",
      tags: ["alpine", "linux"],
      "os-arch": "x86_64",
      hypervisor: "kvm",
      creation_time: 1735689600,
      files: [{ size: 1234, md5: "a".repeat(32), sha256: "b".repeat(64), type: "OS", dev_prefix: "vd" }],
      logo: "https://logos.example.org/alpine.png",
    });
    expect(JSON.parse(a.opennebula_template)).toEqual({ CPU: "1", MEMORY: "256", CONTEXT: { NETWORK: "YES" } });

    const { entries, skipped } = parseOneCatalog(JSON.parse(JSON.stringify({ sEcho: 1, appliances: [a] })), {
      endpoint,
    });
    expect(skipped).toEqual([]);
    expect(entries[0]).toMatchObject({
      upstreamId: "7",
      name: "Alpine 3.20",
      version: "1.2",
      type: "IMAGE",
      architecture: "x86_64",
      hypervisor: "kvm",
      format: "qcow2",
      tags: ["alpine", "linux"],
      createdAt: new Date("2025-01-01T00:00:00Z"),
      file: { url: `${endpoint}/appliance/7/download/0`, size: 1234, md5: "a".repeat(32), sha256: "b".repeat(64) },
      imageTemplate: { type: "OS", devPrefix: "vd" },
    });
    const t = parseTemplate(entries[0].vmTemplate);
    expect(t).toEqual(
      expect.arrayContaining([
        { key: "CPU", value: "1" },
        { key: "CONTEXT", value: { NETWORK: "YES" } },
      ]),
    );
  });

  it("names a VM template's disk apps and a service's role apps, without this portal's ids", () => {
    const vm = toAppliance(
      {
        ...base,
        id: 8,
        name: "Web",
        type: "VMTEMPLATE",
        format: "",
        sizeBytes: 0n,
        vmTemplate:
          'CPU = "2"\nDISK = [\n  APP_ID = "7"\n]\nDISK = [\n  APP_ID = "9"\n]\nNIC = [\n  NETWORK_MODE = "auto"\n]\n',
      },
      [
        { slot: "DISK 0", name: "Alpine 3.20" },
        { slot: "DISK 1", name: "Data" },
      ],
    );
    expect(vm.disks).toEqual(["Alpine 3.20", "Data"]);
    expect(vm.files).toEqual([]);
    expect(JSON.parse(vm.opennebula_template)).toEqual({ CPU: "2", NIC: { NETWORK_MODE: "auto" } });

    const svc = toAppliance(
      {
        ...base,
        id: 10,
        name: "Svc",
        type: "SERVICE_TEMPLATE",
        format: "",
        vmTemplate: "",
        serviceTemplate: JSON.stringify({ name: "Svc", roles: [{ name: "web", app_id: 8, cardinality: 2 }] }),
      },
      [{ slot: "web", name: "Web" }],
    );
    expect(svc.roles).toEqual({ web: "Web" });
    expect(JSON.parse(svc.opennebula_template)).toEqual({ name: "Svc", roles: [{ name: "web", cardinality: 2 }] });

    const parsed = parseOneCatalog({ appliances: [vm, svc] }, { endpoint });
    expect(parsed.skipped).toEqual([]);
    expect(parsed.entries.map((e) => e.parts)).toEqual([
      [
        { slot: "DISK_0", name: "Alpine 3.20" },
        { slot: "DISK_1", name: "Data" },
      ],
      [{ slot: "web", name: "Web" }],
    ]);
  });

  it("lists an attribute given twice and leaves an empty template empty", () => {
    expect(JSON.parse(templateJson('NIC = [ A = "1" ]\nNIC = [ A = "2" ]\n'))).toEqual({
      NIC: [{ A: "1" }, { A: "2" }],
    });
    expect(templateJson("")).toBe("");
    expect(serviceJson("not json")).toBe("");
    expect(toAppliance({ ...base, architecture: "", vmTemplate: "" })).toMatchObject({
      "os-arch": "",
      opennebula_template: "",
    });
  });
});
