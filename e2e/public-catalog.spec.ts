import { startCatalogServer, type CatalogServer } from "../tests/support/catalog-server";
import { ADMIN, apiAs, createUser, expect, signInThroughUi, test, unique } from "./fixtures";

/**
 * A new installation comes with the public catalogs. The admin points `OpenNebula Public` at
 * a catalog (here a local one in the real `/appliance` format), the catalog shows its apps
 * with their logos, and a user imports one into a datastore.
 */
test.describe("public catalogs", () => {
  let catalog: CatalogServer;

  test.beforeAll(async () => {
    catalog = await startCatalogServer();
  });
  test.afterAll(async () => {
    await catalog?.close();
  });

  test("the admin points OpenNebula Public at a catalog; a user finds an app by its logo and imports it", async ({
    page,
    browser,
    admin,
    baseURL,
  }) => {
    test.setTimeout(180_000);
    const ds = await (await admin.post("/api/v1/datastores", { data: { name: unique("public-ds") } })).json();
    expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { data: { permissions: "644" } })).status()).toBe(
      204,
    );

    // both public catalogs are there out of the box
    await signInThroughUi(page, ADMIN);
    await page.getByRole("navigation").getByRole("link", { name: "Marketplaces" }).click();
    await expect(page.getByRole("link", { name: "Linux Containers", exact: true })).toBeVisible();
    await page.getByRole("link", { name: "OpenNebula Public", exact: true }).click();
    await expect(page).toHaveURL(/\/marketplaces\/\d+$/);
    const marketId = Number(page.url().split("/").pop());
    await expect(page.getByText("Public catalog").first()).toBeVisible();

    // the admin points it at the catalog server and syncs it at once
    await page.getByRole("button", { name: "Edit" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Endpoint").fill(catalog.url);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });
    await page.getByRole("button", { name: "Monitor now" }).click();
    await expect(page.getByText(/Apps: 9\b/)).toBeVisible({ timeout: 30_000 });
    // what the catalog could not offer is listed with the reason
    await expect(page.getByText("Left out of the catalog")).toBeVisible();

    // a user sees the catalog as cards with the logos the catalog gives
    const password = "public-catalog-password";
    const user = await createUser(admin, { username: unique("pat"), password });
    const context = await browser.newContext();
    const userPage = await context.newPage();
    try {
      await signInThroughUi(userPage, { username: user.username, password });
      await userPage.goto(`/apps?view=cards&marketplaceId=${marketId}`);
      const logo = userPage.locator(`img[src="${catalog.url}/logos/web.png"]`);
      await expect(logo).toBeVisible();
      await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      await expect(userPage.getByText("A web server VM")).toBeVisible();

      // opens the older of two versions of one appliance: a public app is not the user's to edit
      await userPage.getByRole("link", { name: "Alpine Linux 3.20 (1.0)" }).click();
      await expect(userPage).toHaveURL(/\/apps\/\d+$/);
      const appId = Number(userPage.url().split("/").pop());
      await expect(userPage.getByText("Follows its public catalog")).toBeVisible();
      await expect(userPage.getByRole("button", { name: "Delete" })).toHaveCount(0);

      // imports it: the bytes come through the catalog's redirect, the md5 it gives is checked
      await userPage.getByRole("button", { name: "Import", exact: true }).click();
      const importDialog = userPage.getByRole("dialog");
      await importDialog.getByLabel("Datastore").selectOption(String(ds.id));
      const imageName = unique("alpine");
      await importDialog.getByLabel("Image name").fill(imageName);
      await importDialog.getByRole("button", { name: "Import", exact: true }).click();
      await expect(userPage).toHaveURL(/\/images\/\d+$/);
      await expect(userPage.getByRole("heading", { name: new RegExp(imageName) }).getByText("Ready")).toBeVisible({
        timeout: 60_000,
      });
      const userApi = await apiAs(baseURL!, { username: user.username, password });
      try {
        const image = await (await userApi.get(`/api/v1/images/${userPage.url().split("/").pop()}`)).json();
        const file = catalog.state.files["alpine-1.0.raw"];
        expect(image).toMatchObject({ fromAppId: appId, md5: file.md5, sha256: file.sha256, sizeBytes: file.size });
      } finally {
        await userApi.dispose();
      }
    } finally {
      await context.close();
    }
  });
});
