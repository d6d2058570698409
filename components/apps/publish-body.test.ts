import { describe, expect, it } from "vitest";
import {
  countsText,
  groupError,
  initialPublishValues,
  publishBody,
  publishCounts,
  publishErrors,
  withoutChosenApps,
  type PublishFormValues,
  type PublishPlan,
} from "./publish-body";

const disk = (n: number, imageId: number, problem: string | null = null) => ({
  slot: `DISK ${n}`,
  imageId,
  imageName: `img-${imageId}`,
  problem,
});

const imagePlan: PublishPlan = {
  kind: "image",
  id: 7,
  name: "ubuntu",
  description: "Ubuntu 24.04",
  format: "qcow2",
  sizeBytes: 1024,
};
const vmPlan: PublishPlan = {
  kind: "vmTemplate",
  id: 3,
  name: "web-vm",
  description: "",
  disks: [disk(0, 11), disk(2, 12)],
};
const servicePlan: PublishPlan = {
  kind: "serviceTemplate",
  id: 5,
  name: "shop",
  description: "",
  roles: [
    { name: "web", vmTemplate: { id: 3, name: "web-vm" }, disks: [disk(0, 11), disk(1, 12)], problem: null },
    { name: "db", vmTemplate: { id: 4, name: "db-vm" }, disks: [disk(0, 13)], problem: null },
    { name: "cache", vmTemplate: null, disks: [], problem: "VM template #8 no longer exists: reuse an app" },
  ],
};

/** Filled-in metadata on top of a plan's defaults. */
function filled(plan: PublishPlan, change: (v: PublishFormValues) => void = () => {}): PublishFormValues {
  const v = { ...initialPublishValues(plan), marketplaceId: "9", version: " 2.0 ", tags: ["linux"] };
  change(v);
  return v;
}

describe("initialPublishValues", () => {
  it("publishes every part by default and starts a role without a VM template as a reuse", () => {
    const v = initialPublishValues(servicePlan, "shop-app");
    expect(v.name).toBe("shop-app");
    expect(v.disks).toEqual([]);
    expect(v.roles.map((r) => r.mode)).toEqual(["publish", "publish", "reuse"]);
    expect(v.roles[0].disks).toEqual([
      { mode: "publish", appId: null },
      { mode: "publish", appId: null },
    ]);
  });

  it("takes the source's name and description", () => {
    const v = initialPublishValues(imagePlan);
    expect(v).toMatchObject({ name: "ubuntu", description: "Ubuntu 24.04", version: "1.0" });
  });
});

describe("publishBody", () => {
  it("sends an image with its carried VM template and no reuse choices", () => {
    const body = publishBody(
      imagePlan,
      filled(imagePlan, (v) => (v.vmTemplate = 'CPU = "1"')),
    );
    expect(body).toEqual({
      marketplaceId: 9,
      imageId: 7,
      name: "ubuntu",
      version: "2.0",
      description: "Ubuntu 24.04",
      tags: ["linux"],
      hypervisor: "",
      architecture: "",
      vmTemplate: 'CPU = "1"',
    });
  });

  it("sends one disk entry per image disk, in order: null publishes, a number reuses", () => {
    const body = publishBody(
      vmPlan,
      filled(vmPlan, (v) => {
        v.disks[1] = { mode: "reuse", appId: "42" };
        v.vmTemplate = "ignored";
      }),
    );
    expect(body.vmTemplateId).toBe(3);
    expect(body.disks).toEqual([{ appId: null }, { appId: 42 }]);
    expect(body).not.toHaveProperty("vmTemplate");
    expect(body).not.toHaveProperty("imageId");
    expect(body).not.toHaveProperty("roles");
  });

  it("publishes a disk whose reuse was chosen but left without an app", () => {
    const body = publishBody(
      vmPlan,
      filled(vmPlan, (v) => (v.disks[0] = { mode: "reuse", appId: null })),
    );
    expect(body.disks).toEqual([{ appId: null }, { appId: null }]);
  });

  it("sends per role a reused app or the disk choices of its VM template", () => {
    const body = publishBody(
      servicePlan,
      filled(servicePlan, (v) => {
        v.roles[0].disks[1] = { mode: "reuse", appId: "21" };
        v.roles[1] = { mode: "reuse", appId: "30", disks: [{ mode: "reuse", appId: "99" }] };
        v.roles[2].appId = "31";
      }),
    );
    expect(body.serviceTemplateId).toBe(5);
    expect(body.roles).toEqual([
      { appId: null, disks: [{ appId: null }, { appId: 21 }] },
      { appId: 30 },
      { appId: 31 },
    ]);
    expect(body).not.toHaveProperty("disks");
  });
});

describe("publishErrors", () => {
  it("asks for a marketplace, a name and a version", () => {
    const v = { ...initialPublishValues(imagePlan), name: " ", version: "" };
    expect(publishErrors(imagePlan, v)).toEqual({
      marketplaceId: "Marketplace is required",
      name: "Name is required",
      version: "Version is required",
    });
  });

  it("names the reuse choices left without an app by their API paths", () => {
    const v = filled(servicePlan, (x) => {
      x.roles[0].disks[1] = { mode: "reuse", appId: null };
      x.roles[1].mode = "reuse";
    });
    expect(publishErrors(servicePlan, v)).toEqual({
      "roles.0.disks.1.appId": "Choose an app to reuse",
      "roles.1.appId": "Choose an app to reuse",
      "roles.2.appId": "Choose an app to reuse",
    });
    const vm = filled(vmPlan, (x) => (x.disks[1] = { mode: "reuse", appId: null }));
    expect(publishErrors(vmPlan, vm)).toEqual({ "disks.1.appId": "Choose an app to reuse" });
  });

  it("ignores the disks of a reused role and refuses to publish a role without a VM template", () => {
    const v = filled(servicePlan, (x) => {
      x.roles[1] = { mode: "reuse", appId: "30", disks: [{ mode: "reuse", appId: null }] };
      x.roles[2].mode = "publish";
    });
    expect(publishErrors(servicePlan, v)).toEqual({ "roles.2": "VM template #8 no longer exists: reuse an app" });
  });
});

describe("a disk whose image is gone", () => {
  const gonePlan: PublishPlan = { ...vmPlan, disks: [disk(0, 11), disk(1, 12, "Image #12 no longer exists")] };
  it("starts as a reuse and cannot be published", () => {
    const v = filled(gonePlan);
    expect(v.disks.map((d) => d.mode)).toEqual(["publish", "reuse"]);
    expect(publishErrors(gonePlan, v)).toEqual({ "disks.1.appId": "Choose an app to reuse" });
    v.disks[1].mode = "publish";
    expect(publishErrors(gonePlan, v)).toEqual({ "disks.1": "Image #12 no longer exists" });
  });
});

describe("withoutChosenApps", () => {
  it("keeps the modes and forgets every chosen app", () => {
    const v = filled(servicePlan, (x) => {
      x.roles[0].disks[0] = { mode: "reuse", appId: "1" };
      x.roles[1] = { mode: "reuse", appId: "2", disks: [{ mode: "publish", appId: null }] };
    });
    const cleared = withoutChosenApps(v);
    expect(cleared.roles[0].disks[0]).toEqual({ mode: "reuse", appId: null });
    expect(cleared.roles[1]).toMatchObject({ mode: "reuse", appId: null });
    expect(v.roles[1].appId).toBe("2");
  });
});

describe("publishCounts", () => {
  it("counts new and reused parts; a reused VM template app brings its own disks", () => {
    const v = filled(servicePlan, (x) => {
      x.roles[0].disks[1] = { mode: "reuse", appId: "21" };
      x.roles[1].mode = "reuse";
    });
    const counts = publishCounts(servicePlan, v);
    expect(counts).toEqual({ newImages: 1, reusedImages: 1, newVmTemplates: 1, reusedVmTemplates: 2 });
    expect(countsText(counts)).toBe("1 new VM template app, 2 reused; 1 new image app, 1 reused");
    expect(countsText(publishCounts(vmPlan, filled(vmPlan)))).toBe("2 new image apps");
    expect(countsText(publishCounts(imagePlan, filled(imagePlan)))).toBe("");
  });
});

describe("groupError", () => {
  it("shows a group's error only when no field inside it has one", () => {
    const errors = { "roles.0.appId": "not READY", roles: "not READY", "disks.1": "image is gone" };
    expect(groupError(errors, "roles")).toBeUndefined();
    expect(groupError(errors, "disks.1")).toBe("image is gone");
    expect(groupError(errors, "disks.0")).toBeUndefined();
  });
});
