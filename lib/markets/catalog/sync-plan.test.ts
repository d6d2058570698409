import { describe, expect, it } from "vitest";
import type { CatalogEntry, CatalogParse } from "./catalog-entry";
import { entryDigest, MISSES_TO_REMOVE, planCatalogSync, upstreamKeyOf, type SyncedApp } from "./sync-plan";

const entry = (over: Partial<CatalogEntry> & { upstreamId: string }): CatalogEntry => ({
  version: "1.0",
  name: over.upstreamId,
  type: "IMAGE",
  publisher: "OpenNebula Systems",
  shortDescription: "",
  description: "",
  tags: [],
  architecture: "x86_64",
  hypervisor: "kvm",
  format: "qcow2",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  logoUrl: "",
  file: {
    url: `https://m.example/appliance/${over.upstreamId}/download/0`,
    size: 100,
    md5: "a".repeat(32),
    sha256: "",
  },
  imageTemplate: { type: "OS" },
  vmTemplate: "",
  serviceTemplate: "",
  parts: [],
  ...over,
});

const answer = (...entries: CatalogEntry[]): CatalogParse => ({ entries, skipped: [] });
const synced = (e: CatalogEntry, id: number, missedMonitors = 0): SyncedApp => ({
  id,
  upstreamKey: upstreamKeyOf(e),
  upstreamDigest: entryDigest(e),
  missedMonitors,
});

const alpine1 = entry({ upstreamId: "alp", name: "Alpine", version: "3.19" });
const alpine2 = entry({ upstreamId: "alp", name: "Alpine", version: "3.20" });
const debian = entry({ upstreamId: "deb", name: "Debian 12" });

describe("planCatalogSync", () => {
  it("creates every app of a first answer; two versions of one name are two apps", () => {
    const plan = planCatalogSync([], answer(alpine1, alpine2, debian));
    expect(plan.create.map((w) => w.key)).toEqual(["alp@3.19", "alp@3.20", "deb@1.0"]);
    expect(plan.create[0].digest).toBe(entryDigest(alpine1));
    expect([plan.update, plan.seen, plan.missed, plan.remove]).toEqual([[], [], [], []]);
  });

  it("leaves an unchanged app alone and updates one whose entry changed upstream", () => {
    const changed = { ...debian, description: "now with a description" };
    const plan = planCatalogSync([synced(alpine1, 1), synced(debian, 2)], answer(alpine1, changed));
    expect(plan.create).toEqual([]);
    expect(plan.update.map((u) => [u.id, u.entry.description])).toEqual([[2, "now with a description"]]);
    // the date is part of the identity of the content too
    const redated = { ...alpine1, createdAt: new Date("2026-02-01T00:00:00Z") };
    expect(planCatalogSync([synced(alpine1, 1)], answer(redated)).update.map((u) => u.id)).toEqual([1]);
  });

  it("counts a miss for each answer without the app and removes it at the third", () => {
    const apps = [synced(alpine1, 1), synced(debian, 2, 1), synced(alpine2, 3, MISSES_TO_REMOVE - 1)];
    const plan = planCatalogSync(apps, answer(entry({ upstreamId: "new" })));
    expect(plan.missed).toEqual([1, 2]);
    expect(plan.remove).toEqual([3]);
    expect(plan.create.map((w) => w.key)).toEqual(["new@1.0"]);
  });

  it("an app seen again after a miss starts counting from zero", () => {
    const plan = planCatalogSync([synced(debian, 2, 2)], answer(debian));
    expect(plan.seen).toEqual([2]);
    expect(plan.missed).toEqual([]);
  });

  it("an empty answer changes nothing: no miss is counted, nothing removed", () => {
    const apps = [synced(alpine1, 1, MISSES_TO_REMOVE - 1)];
    const empty: CatalogParse = { entries: [], skipped: [{ upstreamId: "x", name: "x", reason: "malformed" }] };
    const plan = planCatalogSync(apps, empty);
    expect([plan.create, plan.update, plan.missed, plan.remove]).toEqual([[], [], [], []]);
    expect(plan.skipped).toEqual(empty.skipped);
  });

  it("names a composite app's parts by upstream key: the same version, else the newest", () => {
    const disk1 = entry({ upstreamId: "d", name: "Service Disk", version: "1.0", createdAt: new Date("2026-01-01") });
    const disk2 = entry({ upstreamId: "d", name: "Service Disk", version: "2.0", createdAt: new Date("2026-03-01") });
    const vm = entry({
      upstreamId: "vm",
      name: "Service VM",
      type: "VMTEMPLATE",
      version: "2.0",
      file: null,
      parts: [{ slot: "DISK_0", name: "Service Disk" }],
    });
    const vmOld = { ...vm, version: "0.9" };
    const service = entry({
      upstreamId: "svc",
      name: "Service",
      type: "SERVICE_TEMPLATE",
      version: "7",
      file: null,
      parts: [{ slot: "frontend", name: "Service VM" }],
    });
    const plan = planCatalogSync([], answer(disk1, disk2, vm, vmOld, service));
    const partsOf = (key: string) => plan.create.find((w) => w.key === key)?.parts;
    expect(partsOf("vm@2.0")).toEqual([{ slot: "DISK_0", key: "d@2.0" }]);
    expect(partsOf("vm@0.9")).toEqual([{ slot: "DISK_0", key: "d@2.0" }]);
    expect(partsOf("svc@7")).toEqual([{ slot: "frontend", key: "vm@2.0" }]);
  });

  it("leaves out a composite app whose part is not in the catalog, and a service whose VM template was left out", () => {
    const vm = entry({
      upstreamId: "vm",
      name: "VM",
      type: "VMTEMPLATE",
      file: null,
      parts: [{ slot: "DISK_0", name: "Gone Disk" }],
    });
    const service = entry({
      upstreamId: "svc",
      name: "Service",
      type: "SERVICE_TEMPLATE",
      file: null,
      parts: [{ slot: "web", name: "VM" }],
    });
    // a part must be of the right type: an IMAGE named like the VM does not stand for it
    const imposter = entry({ upstreamId: "imp", name: "Not a VM" });
    const service2 = { ...service, upstreamId: "svc2", parts: [{ slot: "db", name: "Not a VM" }] };
    const plan = planCatalogSync([], answer(vm, service, imposter, service2));
    expect(plan.create.map((w) => w.key)).toEqual(["imp@1.0"]);
    expect(plan.skipped).toEqual([
      { upstreamId: "vm", name: "VM", reason: 'part DISK_0 names "Gone Disk", which the catalog does not list' },
      { upstreamId: "svc2", name: "Service", reason: 'part db names "Not a VM", which the catalog does not list' },
      { upstreamId: "svc", name: "Service", reason: "part web is left out of the catalog" },
    ]);
  });

  it("keeps the parser's skips", () => {
    const parse: CatalogParse = { entries: [debian], skipped: [{ upstreamId: "b", name: "Bad", reason: "bad md5" }] };
    expect(planCatalogSync([], parse).skipped).toEqual(parse.skipped);
  });
});
