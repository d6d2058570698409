import { describe, expect, it } from "vitest";
import { PermanentJobError } from "@/lib/jobs/define-job";
import { parseTemplate } from "@/lib/templates/template-text";
import { planAppCopy, serviceTemplateOfCopy, vmTemplateOfCopy, type CopyPayload } from "./copy-app-job";

// The copy's pure parts: its plan from the rows, and the templates rewritten to name the copies.

const row = (id: number, type: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `app-${id}`,
  type,
  state: "LOCKED",
  marketplaceId: 5,
  storageKey: type === "IMAGE" ? `app-${id}-000000000000` : "",
  sizeBytes: BigInt(type === "IMAGE" ? 1000 + id : 0),
  md5: type === "IMAGE" ? "m".repeat(32) : "",
  sha256: "",
  ...extra,
});

describe("planAppCopy", () => {
  const payload: CopyPayload = {
    appId: 13,
    copies: [
      { sourceId: 1, copyId: 11 },
      { sourceId: 2, copyId: 12 },
      { sourceId: 3, copyId: 13 },
    ],
    links: [
      { parentId: 13, position: 0, childId: 11, slot: "DISK 0" },
      { parentId: 13, position: 1, childId: 12, slot: "DISK 1" },
    ],
  };
  const rows = new Map([row(11, "IMAGE"), row(12, "IMAGE"), row(13, "VMTEMPLATE")].map((r) => [r.id, r]));

  it("one copy step per image app, weighted by its size and naming its part, then the pivot", () => {
    const plan = planAppCopy(payload, rows);
    expect(plan.map((s) => `${s.kind} ${s.key}`)).toEqual([
      "market.copy copy:11",
      "market.copy copy:12",
      "copy.ready ready",
    ]);
    expect(plan[0]).toMatchObject({
      title: "copying app-11 (1/2)",
      part: "child app app-11",
      weight: 1011,
      params: {
        appId: 11,
        marketplaceId: 5,
        storageKey: "app-11-000000000000",
        sourceAppId: 1,
        size: 1011,
        md5: "m".repeat(32),
        sha256: "",
      },
    });
    expect(plan[2].params).toEqual({
      ...payload,
      images: [
        { appId: 11, step: "copy:11" },
        { appId: 12, step: "copy:12" },
      ],
    });
  });

  it("an image app alone: no part to name; a finished copy needs nothing; a gone one fails", () => {
    const single = { appId: 11, copies: [{ sourceId: 1, copyId: 11 }], links: [] };
    expect(planAppCopy(single, rows).map((s) => [s.title, s.part])).toEqual([
      ["copying", undefined],
      ["copied", undefined],
    ]);
    expect(planAppCopy(single, new Map([[11, row(11, "IMAGE", { state: "READY" })]]))).toEqual([]);
    expect(() => planAppCopy(single, new Map())).toThrow(PermanentJobError);
    expect(() => planAppCopy(single, new Map([[11, row(11, "IMAGE", { state: "ERROR" })]]))).toThrow(/ERROR/);
  });
});

describe("templates of the copies", () => {
  it("a VM template's disks name the copies; everything else is unchanged", () => {
    const text =
      'CPU = "1"\nDISK = [ APP_ID = "1", DEV_PREFIX = "vd" ]\nDISK = [ TYPE = "fs", SIZE = "64" ]\nDISK = [ APP_ID = "2" ]\n';
    expect(
      parseTemplate(
        vmTemplateOfCopy(
          text,
          new Map([
            [1, 11],
            [2, 12],
          ]),
        ),
      ),
    ).toEqual([
      { key: "CPU", value: "1" },
      { key: "DISK", value: { APP_ID: "11", DEV_PREFIX: "vd" } },
      { key: "DISK", value: { TYPE: "fs", SIZE: "64" } },
      { key: "DISK", value: { APP_ID: "12" } },
    ]);
    expect(() => vmTemplateOfCopy(text, new Map([[1, 11]]))).toThrow(/app 2, which is not one of its parts/);
  });

  it("a service's roles name the copies, and the body the copy's name", () => {
    const text = JSON.stringify({
      name: "svc",
      deployment: "straight",
      roles: [{ name: "db", app_id: 2, cardinality: 1 }],
    });
    expect(JSON.parse(serviceTemplateOfCopy(text, new Map([[2, 12]]), "svc-mirror"))).toEqual({
      name: "svc-mirror",
      deployment: "straight",
      roles: [{ name: "db", app_id: 12, cardinality: 1 }],
    });
    expect(() => serviceTemplateOfCopy(text, new Map(), "x")).toThrow(/role db names app 2/);
    expect(() => serviceTemplateOfCopy("{}", new Map(), "x")).toThrow(PermanentJobError);
  });
});
