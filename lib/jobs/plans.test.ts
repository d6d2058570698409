import { describe, expect, it } from "vitest";
import type { PlannedStep } from "./define-flow";
import { PermanentJobError } from "./define-job";
import { planImageImport } from "@/lib/images/import-image-job";
import { planImagePublish } from "@/lib/apps/publish-app-job";
import { planCompositePublish } from "@/lib/apps/publish-composite-job";
import { planAppImport, type ImportPayload } from "@/lib/apps/import-app-job";
import type { TreeApp } from "@/lib/apps/app-tree";

// The planning functions alone: rows in, steps out; no database, no bytes.

const outline = (plan: PlannedStep[]) => plan.map((s) => `${s.kind} ${s.key}`);
const params = (plan: PlannedStep[], key: string) => plan.find((s) => s.key === key)?.params;

const image = {
  imageId: 7,
  datastoreId: 2,
  imageType: "OS",
  requiredFormat: "raw",
  expectedMd5: "",
  expectedSha256: "ab".repeat(32),
  state: "LOCKED",
  declaredBytes: 4096,
  sourceUrl: "",
};

describe("planImageImport", () => {
  it("a URL import: receive → verify → probe → convert → store, then READY", () => {
    const plan = planImageImport(image, { from: "url", url: "http://127.0.0.1/x.qcow2" });
    expect(outline(plan)).toEqual([
      "image.receive receive",
      "image.verify verify",
      "image.probe probe",
      "image.convert convert",
      "image.store store",
      "image.ready ready",
    ]);
    expect(params(plan, "receive")).toMatchObject({ imageId: 7, datastoreId: 2, decompress: true });
    // the expected checksum and the datastore's format travel in the plan, not re-read later
    expect(params(plan, "verify")).toEqual({
      received: "receive",
      expectedBytes: null,
      md5: "",
      sha256: "ab".repeat(32),
    });
    expect(params(plan, "convert")).toMatchObject({ requiredFormat: "raw", imageType: "OS", probed: "probe" });
    // the size of a URL is known only once it answers
    expect(plan[0].weight).toBeNull();
    expect(plan[0].title).toBe("transferring");
    expect(plan[3].title).toBe("converting to raw");
    expect(params(plan, "store")).toMatchObject({ converted: "convert" });
  });

  it("into a datastore that takes any format: no conversion step, the received bytes are stored", () => {
    const plan = planImageImport({ ...image, requiredFormat: "any" }, { from: "url", url: "http://127.0.0.1/x" });
    expect(outline(plan)).toEqual([
      "image.receive receive",
      "image.verify verify",
      "image.probe probe",
      "image.store store",
      "image.ready ready",
    ]);
    expect(params(plan, "store")).toMatchObject({ received: "receive", probed: "probe", converted: null });
  });

  it("an upload: the declared size is expected and weighs the transfer; the upload goes after the pivot", () => {
    const plan = planImageImport(image, { from: "upload", uploadId: "abc", declaredBytes: 4096 });
    expect(outline(plan).slice(-2)).toEqual(["image.ready ready", "upload.remove remove-upload"]);
    expect(params(plan, "verify")).toMatchObject({ expectedBytes: 4096 });
    expect(plan[0].weight).toBe(4096);
  });

  it("an image that is READY already (an attempt died after its commit) needs no step", () => {
    expect(planImageImport({ ...image, state: "READY" }, { from: "url", url: "http://127.0.0.1/x" })).toEqual([]);
  });
});

const app = { id: 30, name: "web", state: "LOCKED", marketplaceId: 4, storageKey: "app-30-abc" };
const stored = {
  id: 7,
  name: "ubuntu",
  datastoreId: 2,
  storageKey: "img-7",
  sizeBytes: BigInt(1000),
  virtualSizeBytes: BigInt(5000),
  format: "qcow2",
  md5: "m",
  sha256: "s",
};

describe("planImagePublish", () => {
  it("uploads the image (weighing its size) with its recorded checksums, then READY", () => {
    const plan = planImagePublish(app, stored);
    expect(outline(plan)).toEqual(["market.upload upload", "app.ready ready"]);
    expect(plan[0].weight).toBe(1000);
    expect(params(plan, "upload")).toEqual({
      appId: 30,
      marketplaceId: 4,
      storageKey: "app-30-abc",
      image: { datastoreId: 2, key: "img-7", size: 1000, virtualSize: 5000, format: "qcow2", md5: "m", sha256: "s" },
    });
    expect(params(plan, "ready")).toEqual({ appId: 30, imageId: 7 });
  });

  it("a finished app needs nothing; a failed one and a missing image cannot be planned", () => {
    expect(planImagePublish({ ...app, state: "READY" }, stored)).toEqual([]);
    expect(planImagePublish({ ...app, state: "DISABLED" }, null)).toEqual([]);
    expect(() => planImagePublish({ ...app, state: "ERROR" }, stored)).toThrow(PermanentJobError);
    expect(() => planImagePublish(app, null)).toThrow(/image to publish is gone/);
    expect(() => planImagePublish(app, { ...stored, storageKey: "" })).toThrow(/image to publish is gone/);
  });
});

const treeApp = (id: number, type: string, originImageId: number | null): TreeApp =>
  ({
    id,
    name: `part-${id}`,
    type,
    state: "LOCKED",
    marketplaceId: 4,
    storageKey: `app-${id}-k`,
    originImageId,
  }) as TreeApp;

describe("planCompositePublish", () => {
  it("one upload per created IMAGE app, each naming its part, then everything READY at once", () => {
    const images = new Map([
      [7, stored],
      [8, { ...stored, id: 8, name: "data", storageKey: "img-8", sizeBytes: BigInt(300) }],
    ]);
    const created = [treeApp(41, "IMAGE", 7), treeApp(42, "IMAGE", 8), treeApp(43, "VMTEMPLATE", null)];
    const plan = planCompositePublish({ id: 40, state: "LOCKED" }, created, images);
    expect(outline(plan)).toEqual(["market.upload upload:41", "market.upload upload:42", "composite.ready ready"]);
    expect(plan.map((s) => s.weight)).toEqual([1000, 300, 0]);
    expect(plan[1].part).toBe("child app part-42 (image data)");
    expect(plan[1].title).toBe("uploading part-42 (2/2)");
    expect(params(plan, "ready")).toEqual({ rootId: 40 });
  });

  it("a composite that reuses every part only becomes READY; a gone image names its part", () => {
    expect(
      outline(planCompositePublish({ id: 40, state: "LOCKED" }, [treeApp(43, "VMTEMPLATE", null)], new Map())),
    ).toEqual(["composite.ready ready"]);
    expect(() => planCompositePublish({ id: 40, state: "LOCKED" }, [treeApp(41, "IMAGE", 9)], new Map())).toThrow(
      "child app part-41 failed: the image it publishes is gone",
    );
    expect(planCompositePublish({ id: 40, state: "READY" }, [treeApp(41, "IMAGE", 9)], new Map())).toEqual([]);
  });
});

describe("planAppImport", () => {
  const payload: ImportPayload = {
    appId: 50,
    images: [
      { appId: 51, imageId: 7 },
      { appId: 52, imageId: 8 },
    ],
    vmTemplates: [{ appId: 50, name: "web" }],
    serviceTemplate: null,
    owner: { zoneId: 1, ownerId: 3, groupId: 1, ownerRights: 7, groupRights: 0, otherRights: 0 },
  };
  const apps = new Map([
    [51, { id: 51, name: "disk0", state: "READY", sizeBytes: BigInt(1000) }],
    [52, { id: 52, name: "disk1", state: "READY", sizeBytes: BigInt(200) }],
  ]);
  const images = new Map([
    [7, { ...image, imageId: 7, expectedSha256: "s7" }],
    [8, { ...image, imageId: 8, expectedSha256: "s8" }],
  ]);

  it("the ingest of each image from its app (never decompressed, its size expected), then the templates", () => {
    const plan = planAppImport(payload, apps, images);
    expect(outline(plan)).toEqual([
      ...["receive", "verify", "probe", "convert", "store"].map((k) => `image.${k} ${k}:7`),
      ...["receive", "verify", "probe", "convert", "store"].map((k) => `image.${k} ${k}:8`),
      "templates.create templates",
    ]);
    expect(params(plan, "receive:8")).toMatchObject({ source: { from: "app", appId: 52 }, decompress: false });
    expect(params(plan, "verify:8")).toEqual({ received: "receive:8", expectedBytes: 200, md5: "", sha256: "s8" });
    expect(plan.filter((s) => s.weight).map((s) => s.weight)).toEqual([1000, 200]);
    expect(plan[0].title).toBe("transferring disk0 (1/2)");
    expect(plan[5].part).toBe("image from app disk1");
    expect(params(plan, "templates")).toEqual(payload);
  });

  it("a single image's failure is not prefixed; a finished import needs nothing; a deleted or unready app stops it", () => {
    const one = { ...payload, images: [payload.images[0]] };
    expect(planAppImport(one, apps, images)[0].part).toBeUndefined();
    // an import of no image (a VM template without disks) is done once its templates exist
    const none = { ...payload, images: [] };
    expect(outline(planAppImport(none, apps, images))).toEqual(["templates.create templates"]);
    expect(planAppImport(none, apps, images, true)).toEqual([]);
    const ready = new Map([...images].map(([k, v]) => [k, { ...v, state: "READY" }]));
    expect(planAppImport(payload, apps, ready)).toEqual([]);
    expect(() => planAppImport(payload, new Map([...apps].slice(0, 1)), images)).toThrow(
      "image from app 52 failed: the app was deleted",
    );
    const locked = new Map([...apps, [52, { id: 52, name: "disk1", state: "LOCKED", sizeBytes: BigInt(1) }]]);
    expect(() => planAppImport(payload, locked, images)).toThrow(/app is LOCKED; only READY apps/);
  });
});
