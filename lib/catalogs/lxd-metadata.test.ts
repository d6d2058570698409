import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CatalogApp } from "./appliance";
import { metadataTarball, metadataYaml } from "./lxd-metadata";

const app = {
  id: 3,
  name: 'Ubuntu "noble" ünï',
  version: "24.04",
  shortDescription: "",
  architecture: "aarch64",
  createdAt: new Date("2025-01-01T00:00:00Z"),
} as CatalogApp;

describe("metadataTarball", () => {
  it("is a tar that tar reads, holding metadata.yaml, the same bytes every time", () => {
    const tarball = metadataTarball(app);
    expect(tarball.length % 512).toBe(0);
    expect(metadataTarball(app)).toEqual(tarball);
    const dir = mkdtempSync(path.join(tmpdir(), "lxd-meta-"));
    try {
      writeFileSync(path.join(dir, "meta.tar"), tarball);
      expect(execFileSync("tar", ["-tf", "meta.tar"], { cwd: dir, encoding: "utf8" }).trim()).toBe("metadata.yaml");
      execFileSync("tar", ["-xf", "meta.tar"], { cwd: dir });
      expect(readFileSync(path.join(dir, "metadata.yaml"), "utf8")).toBe(metadataYaml(app));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("quotes every value", () => {
    const yaml = metadataYaml(app);
    expect(yaml).toContain('architecture: "aarch64"');
    expect(yaml).toContain("creation_date: 1735689600");
    expect(yaml).toContain('  os: "Ubuntu \\"noble\\" ünï"');
    expect(yaml).toContain('  description: "Ubuntu \\"noble\\" ünï"');
  });
});
