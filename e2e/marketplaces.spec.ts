import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { APIRequestContext, Page } from "@playwright/test";
import { startS3, S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY, type TestS3 } from "../tests/support/s3";
import { ADMIN, apiAs, createUser, expect, signInThroughUi, test, unique } from "./fixtures";

const BUCKET = "e2e-apps";

/** A small qcow2 disk with data in it (random sectors converted from raw). */
function makeQcow2(dir: string): string {
  const raw = path.join(dir, "source.raw");
  const qcow2 = path.join(dir, "source.qcow2");
  writeFileSync(raw, Buffer.concat([randomBytes(3 * 1024 * 1024), Buffer.alloc(2 * 1024 * 1024)]));
  execFileSync("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", raw, qcow2]);
  return qcow2;
}

const digests = (data: Buffer) => ({
  md5: createHash("md5").update(data).digest("hex"),
  sha256: createHash("sha256").update(data).digest("hex"),
});

/** The wizard in the browser: name, driver, attributes, a connection test, then create. */
async function createMarketplaceInUi(
  page: Page,
  name: string,
  driver: "HTTP server" | "Amazon S3 or compatible",
  fill: (dialog: ReturnType<Page["getByRole"]>) => Promise<void>,
) {
  await page.getByRole("navigation").getByRole("link", { name: "Marketplaces" }).click();
  await page.getByRole("button", { name: "Create marketplace" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.locator("label", { hasText: driver }).click();
  await dialog.getByRole("button", { name: "Next" }).click();
  await fill(dialog);
  await dialog.getByRole("button", { name: "Test connection" }).click();
  await expect(dialog.getByText("Connection works")).toBeVisible();
  await dialog.getByRole("button", { name: "Next" }).click();
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
}

async function publishInUi(page: Page, imageUrl: string, marketName: string, appName: string) {
  await page.goto(imageUrl);
  await page.getByRole("button", { name: "Publish to marketplace" }).click();
  const dialog = page.getByRole("dialog");
  const market = dialog.getByLabel("Marketplace");
  await market.selectOption((await market.locator("option", { hasText: marketName }).getAttribute("value"))!);
  await dialog.getByLabel("App name").fill(appName);
  await dialog.getByLabel("Version").fill("1.2");
  for (const tag of ["linux", "journey"]) {
    await dialog.getByLabel("Tags").fill(tag);
    await dialog.getByLabel("Tags").press("Enter");
  }
  await dialog.getByLabel("Hypervisor").fill("kvm");
  await dialog.getByLabel("Architecture").fill("x86_64");
  await dialog.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page).toHaveURL(/\/apps\/\d+$/);
  await expect(page.getByRole("heading").getByText("Ready")).toBeVisible({ timeout: 60_000 });
  return Number(page.url().split("/").pop());
}

test.describe("marketplaces and apps", () => {
  let s3: TestS3;
  let work: string;

  test.beforeAll(async () => {
    s3 = await startS3();
    work = mkdtempSync(path.join(tmpdir(), "bazaar-e2e-market-"));
  });
  test.afterAll(async () => {
    await s3?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test("publish a qcow2 image to http and s3, find it in the catalog, import it into a raw datastore", async ({
    page,
    browser,
    admin,
    baseURL,
  }) => {
    test.setTimeout(240_000);
    const qcow2 = makeQcow2(work);

    // the admin's part, through the API: a raw datastore users may use, and the publish right
    const groups = (await (await admin.get("/api/v1/groups?q=users")).json()).items;
    const users = groups.find((g: { name: string }) => g.name === "users");
    const rights = [...new Set([...users.createRights, "MARKETPLACE_APP"])];
    expect((await admin.patch(`/api/v1/groups/${users.id}`, { data: { createRights: rights } })).status()).toBe(200);
    const rawDs = await (
      await admin.post("/api/v1/datastores", { data: { name: unique("raw"), requiredFormat: "raw" } })
    ).json();
    const anyDs = await (await admin.post("/api/v1/datastores", { data: { name: unique("any") } })).json();
    for (const ds of [rawDs, anyDs]) {
      expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { data: { permissions: "644" } })).status()).toBe(
        204,
      );
    }

    // the admin creates both marketplaces in the browser
    await signInThroughUi(page, ADMIN);
    const httpName = unique("http-market");
    const s3Name = unique("s3-market");
    const publicDir = path.join(work, "public");
    await createMarketplaceInUi(page, httpName, "HTTP server", async (d) => {
      await d.getByLabel("Public directory").fill(publicDir);
    });
    await createMarketplaceInUi(page, s3Name, "Amazon S3 or compatible", async (d) => {
      await d.getByLabel("Access key ID").fill(S3RVER_ACCESS_KEY_ID);
      await d.getByLabel("Secret access key").fill(S3RVER_SECRET_ACCESS_KEY);
      await d.getByLabel("Region").fill("us-east-1");
      await d.getByLabel("Bucket").fill(BUCKET);
      await d.getByRole("textbox", { name: "Endpoint" }).fill(s3.endpoint);
      await d.getByLabel("Force path style").check();
      await d.getByLabel("Part size (MB)").fill("5");
    });

    // a user uploads the qcow2 image
    const password = "journey-password-1";
    const user = await createUser(admin, { username: unique("alice"), password });
    const userContext = await browser.newContext();
    const userPage = await userContext.newPage();
    let userApi: APIRequestContext | undefined;
    try {
      await signInThroughUi(userPage, { username: user.username, password });
      await userPage.getByRole("navigation").getByRole("link", { name: "Images" }).click();
      await userPage.getByRole("button", { name: "Upload image" }).click();
      const upload = userPage.getByRole("dialog");
      await upload.getByLabel("Image file").setInputFiles(qcow2);
      const imageName = unique("disk");
      await upload.getByLabel("Name").fill(imageName);
      await upload.getByLabel("Datastore").selectOption(String(anyDs.id));
      await upload.getByRole("button", { name: "Upload", exact: true }).click();
      await userPage.getByRole("link", { name: /Open image/ }).click();
      await expect(userPage.getByRole("heading", { name: new RegExp(imageName) }).getByText("Ready")).toBeVisible({
        timeout: 60_000,
      });
      const imageUrl = userPage.url();

      // publishes it to each marketplace
      const appName = unique("journey");
      const httpAppId = await publishInUi(userPage, imageUrl, httpName, appName);
      const s3AppId = await publishInUi(userPage, imageUrl, s3Name, appName);

      userApi = await apiAs(baseURL!, { username: user.username, password });
      const httpApp = await (await userApi.get(`/api/v1/apps/${httpAppId}`)).json();
      const s3App = await (await userApi.get(`/api/v1/apps/${s3AppId}`)).json();
      const image = await (await userApi.get(`/api/v1/images/${imageUrl.split("/").pop()}`)).json();
      for (const app of [httpApp, s3App]) {
        expect(app).toMatchObject({ state: "READY", format: "qcow2", sizeBytes: image.sizeBytes });
        expect(app.md5).toBe(image.md5);
        expect(app.sha256).toBe(image.sha256);
      }

      // the bytes at the http app's public URL, fetched with curl, and the S3 object, read with the SDK
      expect(httpApp.source).toMatch(new RegExp(`^${baseURL}/market/\\d+/`));
      const fetched = execFileSync("curl", ["-sSf", httpApp.source], { maxBuffer: 64 * 1024 * 1024 });
      expect(digests(fetched)).toEqual({ md5: httpApp.md5, sha256: httpApp.sha256 });
      const [, bucket, ...key] = s3App.source.replace("s3://", "/").split("/");
      const client = new S3Client({
        region: "us-east-1",
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: S3RVER_ACCESS_KEY_ID, secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
      });
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key.join("/") }));
      expect(digests(Buffer.from(await object.Body!.transformToByteArray()))).toEqual({
        md5: s3App.md5,
        sha256: s3App.sha256,
      });
      client.destroy();

      // finds it in the catalog with filters kept in the URL as chips
      await userPage.getByRole("navigation").getByRole("link", { name: "Apps" }).click();
      // the catalog opens as cards; the table is one click away
      await userPage.getByRole("radiogroup", { name: "View" }).getByText("Table").click();
      const table = userPage.getByRole("table", { name: "Apps" });
      await expect(table.getByRole("link", { name: appName })).toHaveCount(2);
      await userPage.getByRole("combobox", { name: "Filter by marketplace" }).click();
      await userPage.getByRole("option", { name: s3Name }).click();
      await expect(userPage).toHaveURL(new RegExp(`marketplaceId=${s3App.marketplace.id}`));
      await userPage.getByRole("combobox", { name: "Filter by tags" }).click();
      await userPage.getByRole("option", { name: "journey" }).click();
      await userPage.keyboard.press("Escape");
      await expect(userPage).toHaveURL(/tags=journey/);
      await expect(userPage.getByRole("group", { name: "Active filters" })).toContainText(s3Name);
      await expect(table.getByRole("link", { name: appName })).toHaveCount(1);

      // imports the s3 app into the raw datastore
      await table.getByRole("link", { name: appName }).click();
      await expect(userPage).toHaveURL(new RegExp(`/apps/${s3AppId}$`));
      await userPage.getByRole("button", { name: "Import", exact: true }).click();
      const dialog = userPage.getByRole("dialog");
      await dialog.getByLabel("Datastore").selectOption(String(rawDs.id));
      await expect(dialog.getByText(/converted from qcow2 to raw/)).toBeVisible();
      const importedName = unique("imported");
      await dialog.getByLabel("Image name").fill(importedName);
      await dialog.getByRole("button", { name: "Import", exact: true }).click();
      await expect(userPage).toHaveURL(/\/images\/\d+$/);
      await expect(userPage.getByRole("heading", { name: new RegExp(importedName) }).getByText("Ready")).toBeVisible({
        timeout: 60_000,
      });
      const imported = await (await userApi.get(`/api/v1/images/${userPage.url().split("/").pop()}`)).json();
      expect(imported).toMatchObject({ format: "raw", fromAppId: s3AppId, origin: "APP" });

      // the new image's content equals the original's
      const download = await userApi.get(`/api/v1/images/${imported.id}/download`);
      expect(download.status()).toBe(200);
      const rawFile = path.join(work, "imported.raw");
      writeFileSync(rawFile, await download.body());
      execFileSync("qemu-img", ["compare", "-f", "qcow2", "-F", "raw", qcow2, rawFile]);
    } finally {
      await userApi?.dispose();
      await userContext.close();
    }
  });
});
