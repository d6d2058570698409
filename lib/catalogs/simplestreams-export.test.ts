import { describe, expect, it } from "vitest";
import { parseSimplestreams, parseStreamsIndex } from "@/lib/markets/catalog/simplestreams";
import type { CatalogApp } from "./appliance";
import { aliasOf, isStreamable, streamsImages, streamsIndex, versionKey } from "./simplestreams-export";

const disk = (id: number, extra: Partial<CatalogApp> = {}): CatalogApp => ({
  id,
  name: `Disk ${id}`,
  type: "IMAGE",
  version: "1.0",
  publisher: "",
  description: "",
  shortDescription: "",
  tags: "",
  hypervisor: "kvm",
  architecture: "x86_64",
  format: "qcow2",
  sizeBytes: 4096n,
  md5: "c".repeat(32),
  sha256: "d".repeat(64),
  imageTemplate: "{}",
  vmTemplate: "",
  serviceTemplate: "",
  logoUrl: "",
  createdAt: new Date("2025-03-04T05:06:00Z"),
  ...extra,
});

describe("simplestreams export", () => {
  const apps = [
    disk(1),
    disk(2, { architecture: "aarch64", name: "Disk 1" }),
    disk(3, { format: "raw" }),
    disk(4, { type: "VMTEMPLATE", format: "" }),
    disk(5, { architecture: "ppc64le" }),
  ];

  it("offers qcow2 IMAGE apps of x86_64, aarch64 or any architecture", () => {
    expect(apps.map(isStreamable)).toEqual([true, true, false, false, false]);
    expect(isStreamable(disk(6, { architecture: "" }))).toBe(true);
  });

  it("is read back by the simplestreams reader: index → images → disk items", () => {
    const index = streamsIndex(apps);
    expect(parseStreamsIndex(index)).toEqual({ imagesPath: "streams/v1/images.json" });
    const images = streamsImages(apps);
    expect(Object.keys(images.products)).toEqual(index.index.images.products);
    const parsed = parseSimplestreams(JSON.parse(JSON.stringify(images)), {
      endpoint: "http://portal.example/catalog/3/",
      architectures: ["amd64", "arm64"],
      variant: "default",
    });
    expect(parsed.skipped).toEqual([]);
    expect(parsed.entries.map((e) => [e.name, e.architecture, e.file])).toEqual([
      [
        "Disk 1 1.0 (x86_64)",
        "x86_64",
        {
          url: "http://portal.example/catalog/3/files/1/disk.qcow2",
          size: 4096,
          md5: "c".repeat(32),
          sha256: "d".repeat(64),
        },
      ],
      [
        "Disk 1 1.0 (aarch64)",
        "aarch64",
        {
          url: "http://portal.example/catalog/3/files/2/disk.qcow2",
          size: 4096,
          md5: "c".repeat(32),
          sha256: "d".repeat(64),
        },
      ],
    ]);
    expect(parsed.entries[0].version).toBe(versionKey(new Date("2025-03-04T05:06:00Z")));
  });

  it("gives each product an alias of its own", () => {
    expect(versionKey(new Date("2025-03-04T05:06:00Z"))).toBe("20250304_05:06");
    expect(aliasOf({ id: 9, name: "Ubuntu 24.04 LTS (noble)" })).toBe("ubuntu-24.04-lts-noble");
    expect(aliasOf({ id: 9, name: "日本" })).toBe("app-9");
    const aliases = Object.values(streamsImages(apps).products).map((p) => (p as { aliases: string }).aliases);
    expect(aliases).toEqual(["disk-1", "disk-1-2"]);
  });
});
