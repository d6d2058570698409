import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appFormValidate, appFormValidateNoTemplate, appFormValues } from "@/components/apps/app-form";
import { marketFormValidate, marketFormValues, withDriver } from "@/components/markets/market-drivers";
import { quotaFormValidate } from "@/components/quotas/quota-units";
import { dbId } from "@/lib/api/schemas";
import { changePasswordBody } from "@/lib/users/user-schemas";
import { blank, confirmed, schemaValidate, selected, selectedList } from "./schema-validate";

describe("a form validated with the API's schema", () => {
  it("names the field in a readable sentence: a tag with a space, a name too long", () => {
    const values = appFormValues({ name: "n".repeat(129), version: "1.0", tags: ["linux", "my tag"] });
    expect(appFormValidate(values)).toEqual({
      name: "Name must be at most 128 characters",
      tags: "Tag 2 must be 1-32 lowercase letters, digits, '.', '_', '+' or '-'",
    });
    expect(appFormValidate(appFormValues({ name: "ubuntu", tags: ["linux", "lts"] }))).toEqual({});
  });

  it("leaves out the VM template where the form does not show it (a composite app's may be longer)", () => {
    const values = appFormValues({ name: "svc", vmTemplate: "x".repeat(100 * 1024) });
    expect(appFormValidate(values)).toHaveProperty("vmTemplate");
    expect(appFormValidateNoTemplate(values)).toEqual({});
  });

  it("refuses a negative size", () => {
    const s3 = withDriver({ ...marketFormValues(), name: "m" }, "s3");
    Object.assign(s3.config, { accessKeyId: "AKIA", region: "eu-west-1", bucket: "apps", totalMb: -1 });
    s3.secrets.secretAccessKey = "secret";
    expect(marketFormValidate({ secretRequired: true })(s3)).toEqual({
      "config.totalMb": "Total capacity (MB) must be at least 1",
    });
  });

  it("tells a datastore quota listed twice, and a negative limit, at the row's field", () => {
    const row = (datastoreId: string | null, maxImages: number | "" = "") => ({
      datastoreId,
      maxBytes: "" as const,
      unit: "GiB" as const,
      maxImages,
    });
    expect(quotaFormValidate({ maxTransfers: "", datastores: [row(null), row("4"), row("4")] })).toEqual({
      "datastores.2.datastoreId": "Datastore 3 is listed twice",
    });
    expect(quotaFormValidate({ maxTransfers: -1, datastores: [row(null, 3), row("")] })).toEqual({
      maxTransfers: "Max transfers must be at least 0",
      "datastores.1.datastoreId": "Datastore 2 is required",
    });
  });
});

describe("rules over a form's own shapes", () => {
  const validate = schemaValidate(
    z.object({ owner: selected(dbId), groups: selectedList(z.array(dbId)), limit: blank(null, z.number().nullable()) }),
  );

  it("reads a select's value, a multi-select's values and a blank input as the API takes them", () => {
    expect(validate({ owner: "3", groups: ["1", "2"], limit: "" })).toEqual({});
    expect(validate({ owner: "", groups: [], limit: "  " })).toEqual({ owner: "Owner is required" });
    expect(validate({ owner: null, groups: ["0"], limit: 5 })).toEqual({
      owner: "Owner is required",
      groups: "Group 1 is required",
    });
  });

  it("asks a password typed twice to match", () => {
    const check = schemaValidate(confirmed(changePasswordBody, "newPassword", "confirmPassword"));
    expect(check({ currentPassword: "old", newPassword: "new-password", confirmPassword: "new-passw0rd" })).toEqual({
      confirmPassword: "Confirmation does not match the new password",
    });
    expect(check({ currentPassword: "", newPassword: "short", confirmPassword: "short" })).toEqual({
      currentPassword: "Current password is required",
      newPassword: "New password must be at least 8 characters",
    });
  });
});
