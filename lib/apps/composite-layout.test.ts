import { describe, expect, it } from "vitest";
import {
  layoutComposite,
  publishedImages,
  reusedApps,
  type CompositeLayout,
  type CompositeSource,
  type Part,
  type PlannedVm,
  type SourceImage,
} from "./composite-layout";
import type { ServiceTemplateBody } from "@/lib/templates/service-template-body";

// The layout alone: what a composite publish reads in, the apps it creates out; no database.

const image = (id: number, name: string): SourceImage => ({
  id,
  name,
  description: `${name} disk`,
  type: "OS",
  format: "qcow2",
  sizeBytes: BigInt(id * 1000),
});
const ubuntu = image(7, "ubuntu");
const data = image(9, "data");
const reusedImage = { id: 50, name: "shared-disk", sizeBytes: BigInt(4000) };
const reusedVm = { id: 60, name: "cache-vm", sizeBytes: BigInt(8000) };

const vm = (id: number, name: string, disks: PlannedVm["disks"]): PlannedVm => ({
  id,
  name,
  description: `${name} template`,
  template: [],
  disks,
});

/** A name chooser that answers the base it is asked for and remembers every request. */
function recordingChooser() {
  const asked: string[] = [];
  const choose = async (base: string) => {
    asked.push(base);
    return base;
  };
  return { asked, choose };
}

const outline = (layout: CompositeLayout) => [...layout.parts, layout.root].map((a) => `${a.kind} ${a.name}`);
const partName = (part: Part) => `${part.kind} ${part.app.name}`;

describe("layoutComposite: a VM template", () => {
  const web = vm(3, "web", [
    { kind: "publish", index: 0, image: ubuntu },
    { kind: "publish", index: 1, image: data },
    { kind: "publish", index: 3, image: ubuntu },
  ]);

  it("publishes an image two disks share once, then the VMTEMPLATE app under the given name", async () => {
    const { asked, choose } = recordingChooser();
    const layout = await layoutComposite({ kind: "vm", vm: web }, { name: "site", description: "" }, choose);
    expect(outline(layout)).toEqual(["image site-ubuntu", "image site-data", "vm site"]);
    expect(asked).toEqual(["site-ubuntu", "site-data"]);
    expect(layout.reused).toEqual([]);
    if (layout.root.kind !== "vm") throw new Error("the root of a VM template is a VM app");
    expect(layout.root.description).toBe("web template");
    expect(layout.root.disks.map((d) => `${d.index}: ${partName(d.part)}`)).toEqual([
      "0: created site-ubuntu",
      "1: created site-data",
      "3: created site-ubuntu",
    ]);
  });

  it("a reused disk creates no app; the other disks still do", async () => {
    const { asked, choose } = recordingChooser();
    const mixed = vm(3, "web", [
      { kind: "reuse", index: 0, app: reusedImage },
      { kind: "publish", index: 1, image: data },
    ]);
    const layout = await layoutComposite({ kind: "vm", vm: mixed }, { name: "site", description: "mine" }, choose);
    expect(outline(layout)).toEqual(["image site-data", "vm site"]);
    expect(asked).toEqual(["site-data"]);
    expect(layout.reused).toEqual([reusedImage]);
    expect(layout.root.description).toBe("mine");
  });

  it("takes the names the chooser answers, and derives the image names from them", async () => {
    const choose = async (base: string) => `${base}-2`;
    const layout = await layoutComposite({ kind: "vm", vm: web }, { name: "site", description: "" }, choose);
    expect(outline(layout)).toEqual(["image site-ubuntu-2", "image site-data-2", "vm site"]);
  });
});

describe("layoutComposite: a service template", () => {
  const body = (roles: string[]): ServiceTemplateBody => ({
    name: "shop",
    description: "the shop",
    deployment: "straight",
    roles: roles.map((name, i) => ({ name, cardinality: 1, vm_template: 10 + i })),
  });
  const source: CompositeSource = {
    kind: "service",
    service: {
      id: 4,
      name: "shop",
      body: body(["cache", "web", "db"]),
      roles: [
        { kind: "reuse", name: "cache", app: reusedVm },
        {
          kind: "publish",
          name: "web",
          vm: vm(11, "web", [
            { kind: "publish", index: 0, image: ubuntu },
            { kind: "reuse", index: 1, app: reusedImage },
          ]),
        },
        {
          kind: "publish",
          name: "db",
          vm: vm(12, "db", [
            { kind: "publish", index: 0, image: ubuntu },
            { kind: "publish", index: 1, image: data },
          ]),
        },
      ],
    },
  };

  it("a reused role creates no app; a new role is a VM app '<name>-<role>' with its images", async () => {
    const { asked, choose } = recordingChooser();
    const layout = await layoutComposite(source, { name: "store", description: "" }, choose);
    // each role's VM app name is chosen before its images, which are named after it
    expect(asked).toEqual(["store-web", "store-web-ubuntu", "store-db", "store-db-data"]);
    expect(outline(layout)).toEqual([
      "image store-web-ubuntu",
      "vm store-web",
      "image store-db-data",
      "vm store-db",
      "service store",
    ]);
    if (layout.root.kind !== "service") throw new Error("the root of a service template is a service app");
    expect(layout.root.description).toBe("the shop");
    expect(layout.root.roles.map((r) => `${r.role}: ${partName(r.part)}`)).toEqual([
      "cache: reused cache-vm",
      "web: created store-web",
      "db: created store-db",
    ]);
  });

  it("the db role's disk 0 uses the image app the web role created", async () => {
    const layout = await layoutComposite(source, { name: "store", description: "" }, recordingChooser().choose);
    const db = layout.parts.find((p) => p.name === "store-db");
    if (db?.kind !== "vm") throw new Error("store-db is a VM app");
    expect(db.disks.map((d) => partName(d.part))).toEqual(["created store-web-ubuntu", "created store-db-data"]);
    expect(db.disks[0].part.app).toBe(layout.parts[0]);
  });

  it("locks the reused role and the reused disk, and uploads each new image once", async () => {
    expect(reusedApps(source)).toEqual([reusedVm, reusedImage]);
    expect(publishedImages(source)).toEqual([ubuntu, data]);
    const layout = await layoutComposite(source, { name: "store", description: "x" }, recordingChooser().choose);
    expect(layout.reused).toEqual([reusedVm, reusedImage]);
    expect(layout.root.description).toBe("x");
  });
});
