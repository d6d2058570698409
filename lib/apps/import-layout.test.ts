import { describe, expect, it } from "vitest";
import { layoutImport, type ImportNames, type ImportableApp } from "./import-layout";

// The import layout alone: the app and its parts in, what the import creates out; no database.

const app = (id: number, name: string, type: string, extra: Partial<ImportableApp> = {}): ImportableApp => ({
  id,
  name,
  type,
  imageTemplate: JSON.stringify({ type: "OS" }),
  vmTemplate: "",
  serviceTemplate: "",
  ...extra,
});
const vmApp = (id: number, name: string, diskApps: number[]) =>
  app(id, name, "VMTEMPLATE", {
    vmTemplate: ['CPU = "1"', ...diskApps.map((a) => `DISK = [ APP_ID = "${a}" ]`)].join("\n"),
  });

const ubuntu = app(1, "ubuntu", "IMAGE");
const data = app(2, "data", "IMAGE");

/** Names that are all free: answers what it is asked and records each request. */
function freeNames() {
  const asked: string[] = [];
  const answer = (kind: string) => async (name: string) => {
    asked.push(`${kind} ${name}`);
    return name;
  };
  const names: ImportNames = {
    exactImage: answer("exact image"),
    exactVm: answer("exact vm"),
    exactService: answer("exact service"),
    image: answer("image"),
    vm: answer("vm"),
  };
  return { asked, names };
}

const target = { name: "site", createVmTemplate: true, datastoreType: "IMAGE" };

describe("layoutImport", () => {
  it("an IMAGE app: the image under the given name, and the VM template it carries when asked", async () => {
    const carrying = app(5, "tiny", "IMAGE", { vmTemplate: 'CPU = "1"' });
    const { asked, names } = freeNames();
    const layout = await layoutImport({ kind: "image", app: carrying }, target, names);
    expect(layout.images.map((i) => i.name)).toEqual(["site"]);
    expect(layout.vmTemplates).toEqual([{ app: carrying, name: "site", disks: ["site"] }]);
    expect(asked).toEqual(["exact image site", "exact vm site"]);
    const without = await layoutImport({ kind: "image", app: carrying }, { ...target, createVmTemplate: false }, names);
    expect(without.vmTemplates).toEqual([]);
  });

  it("a VMTEMPLATE app: one image per part, however many disks name it", async () => {
    const web = vmApp(10, "web", [1, 2, 1]);
    const { asked, names } = freeNames();
    const layout = await layoutImport({ kind: "vm", app: web, parts: [ubuntu, data] }, target, names);
    expect(layout.images.map((i) => `${i.app.name} → ${i.name}`)).toEqual(["ubuntu → site-disk0", "data → site-disk1"]);
    expect(layout.vmTemplates).toEqual([{ app: web, name: "site", disks: ["site-disk0", "site-disk1", "site-disk0"] }]);
    expect(layout.serviceTemplate).toBeNull();
    expect(asked).toEqual(["exact vm site", "image site-disk0", "image site-disk1"]);
  });

  it("a SERVICE_TEMPLATE app: a VM template '<name>-<role>' per role app, once even when two roles share it", async () => {
    const web = vmApp(10, "web", [1]);
    const db = vmApp(11, "db", [1, 2]);
    const roles = [
      { name: "front", app_id: 10 },
      { name: "back", app_id: 11 },
      { name: "extra", app_id: 10 },
    ];
    const shop = app(20, "shop", "SERVICE_TEMPLATE", { serviceTemplate: JSON.stringify({ roles }) });
    const source = {
      kind: "service" as const,
      app: shop,
      roles: [
        { app: web, parts: [ubuntu] },
        { app: db, parts: [ubuntu, data] },
      ],
    };
    const { asked, names } = freeNames();
    const layout = await layoutImport(source, target, names);
    expect(asked).toEqual([
      "exact service site",
      "vm site-front",
      "image site-front-disk0",
      "vm site-back",
      "image site-back-disk1",
    ]);
    expect(layout.vmTemplates.map((v) => `${v.name}: ${v.disks.join(", ")}`)).toEqual([
      "site-front: site-front-disk0",
      "site-back: site-front-disk0, site-back-disk1",
    ]);
    expect(layout.serviceTemplate).toEqual({
      name: "site",
      roles: [
        { name: "front", vmTemplate: "site-front" },
        { name: "back", vmTemplate: "site-back" },
        { name: "extra", vmTemplate: "site-front" },
      ],
    });
  });

  it("refuses an image type the datastore does not take, and a disk that names no image part", async () => {
    const kernel = app(3, "vmlinuz", "IMAGE", { imageTemplate: JSON.stringify({ type: "KERNEL" }) });
    await expect(layoutImport({ kind: "image", app: kernel }, target, freeNames().names)).rejects.toThrow(
      "A IMAGE datastore does not take KERNEL images (app vmlinuz)",
    );
    const web = vmApp(10, "web", [1, 9]);
    await expect(layoutImport({ kind: "vm", app: web, parts: [ubuntu] }, target, freeNames().names)).rejects.toThrow(
      "App web: DISK 1 names app 9, which is not one of its image parts",
    );
  });

  it("refuses a role that names no VM template part", async () => {
    const shop = app(20, "shop", "SERVICE_TEMPLATE", {
      serviceTemplate: JSON.stringify({ roles: [{ name: "front", app_id: 1 }] }),
    });
    const source = { kind: "service" as const, app: shop, roles: [{ app: ubuntu, parts: [] }] };
    await expect(layoutImport(source, target, freeNames().names)).rejects.toThrow(
      "App shop: role front names no VM template part",
    );
  });
});
