import { beforeAll, describe, expect, it } from "vitest";
import { appFormValidate, appFormValues } from "@/components/apps/app-form";
import { initialPublishValues, publishErrors, type PublishPlan } from "@/components/apps/publish-body";
import { marketFormValidate, marketFormValues, withDriver } from "@/components/markets/market-drivers";
import { quotaFormValidate } from "@/components/quotas/quota-units";
import { ApiClient, expectProblem, signInAdmin, type ApiResponse, type Json } from "../helpers/api";

/**
 * The console's forms validate with the schemas the API parses bodies with: for the same bad
 * input the form shows, next to the field, the sentence the API answers in its problem+json
 * (invalid_params and detail). No zod jargon ("tags.1: Invalid string…") reaches either.
 */
let admin: ApiClient;

beforeAll(async () => {
  admin = await signInAdmin();
});

/** The API's reason for each field, keyed as the form keys its errors (a list member's on the list). */
function apiErrors(res: ApiResponse): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of res.json.invalid_params as Json[]) errors[p.name.replace(/\.\d+$/, "")] ??= p.reason;
  return errors;
}

describe("the same sentences in the form and in the API", () => {
  it("editing an app: a tag with a space and a name too long", async () => {
    const name = "n".repeat(129);
    const res = await admin.patch("/api/v1/apps/1", { name, tags: ["linux", "my tag"] });
    expectProblem(res, 400, ["name", "tags.1"]);
    const form = appFormValidate(appFormValues({ name, version: "1.0", tags: ["linux", "my tag"] }));
    expect(form).toEqual({
      name: "Name must be at most 128 characters",
      tags: "Tag 2 must be 1-32 lowercase letters, digits, '.', '_', '+' or '-'",
    });
    expect(apiErrors(res)).toEqual(form);
    expect(res.json.detail).toBe(`${form.name}; ${form.tags}`);
  });

  it("publishing: the marketplace, the name and the version are required", async () => {
    const plan: PublishPlan = { kind: "image", id: 7, name: "img", description: "", format: "qcow2", sizeBytes: 1 };
    const values = { ...initialPublishValues(plan), name: " ", version: "" };
    const res = await admin.post("/api/v1/apps", { marketplaceId: 0, imageId: 7, name: " ", version: "" });
    expectProblem(res, 400, ["marketplaceId", "name", "version"]);
    const form = publishErrors(plan, values);
    expect(form).toEqual({
      marketplaceId: "Marketplace is required",
      name: "Name is required",
      version: "Version is required",
    });
    expect(apiErrors(res)).toEqual(form);
    expect(res.json.detail).toBe("Marketplace is required; Name is required; Version is required");
  });

  it("creating a marketplace: a negative capacity and a part too small", async () => {
    const s3 = withDriver({ ...marketFormValues(), name: "sizes" }, "s3");
    Object.assign(s3.config, { accessKeyId: "AKIA", region: "eu-west-1", bucket: "apps", totalMb: -1, partSizeMb: 2 });
    s3.secrets.secretAccessKey = "secret";
    const form = marketFormValidate({ secretRequired: true })(s3);
    expect(form).toEqual({
      "config.partSizeMb": "Part size (MB) must be at least 5 MB (S3's minimum part)",
      "config.totalMb": "Total capacity (MB) must be at least 1",
    });
    const res = await admin.post("/api/v1/marketplaces", {
      name: "sizes",
      driver: "s3",
      config: { accessKeyId: "AKIA", region: "eu-west-1", bucket: "apps", totalMb: -1, partSizeMb: 2 },
      secrets: { secretAccessKey: "secret" },
    });
    expectProblem(res, 400, ["config.partSizeMb", "config.totalMb"]);
    expect(apiErrors(res)).toEqual(form);
  });

  it("setting quotas: a datastore listed twice", async () => {
    const row = (datastoreId: string | null) => ({
      datastoreId,
      maxBytes: "" as const,
      unit: "GiB" as const,
      maxImages: "" as const,
    });
    const form = quotaFormValidate({ maxTransfers: "", datastores: [row(null), row("4"), row("4")] });
    expect(form).toEqual({ "datastores.2.datastoreId": "Datastore 3 is listed twice" });
    const res = await admin.put("/api/v1/users/1/quotas", {
      datastores: [{ datastoreId: null }, { datastoreId: 4 }, { datastoreId: 4 }],
    });
    expectProblem(res, 400, ["datastores.2.datastoreId"]);
    expect(apiErrors(res)).toEqual(form);
  });

  it("a path or a query parameter is named in words too", async () => {
    const res = await admin.get("/api/v1/images?perPage=500");
    expectProblem(res, 400, ["perPage"]);
    expect(res.json.detail).toBe("Rows per page must be at most 200");
  });
});
