import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

/**
 * The VDC journey of issue 17: groups with no resources of their own get a datastore through a
 * VDC (picked in the UI, no chmod anywhere), import the same app into it, and see nothing of
 * the other VDC; a quota set in the UI stops an import with a readable error.
 */

const MiB = 1024 * 1024;
const DISK = randomBytes(2 * MiB);

const nav = (page: Page, name: string) => page.getByRole("navigation").getByRole("link", { name }).click();

async function pickOption(page: Page, combobox: ReturnType<Page["getByRole"]>, name: string) {
  await combobox.click();
  await page.getByRole("option", { name, exact: true }).click();
}

async function createGroupInUi(page: Page, name: string) {
  await nav(page, "Groups");
  await page.getByRole("button", { name: "Create group" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("table", { name: "Groups" }).getByRole("link", { name })).toBeVisible();
}

async function createDatastoreInUi(page: Page, name: string) {
  await nav(page, "Datastores");
  await page.getByRole("button", { name: "Create datastore" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("table", { name: "Datastores" }).getByRole("link", { name })).toBeVisible();
}

/** The VDC with one group, then its resources picked on its page. */
async function createVdcInUi(
  page: Page,
  name: string,
  group: string,
  resources: { type: "Datastores" | "Marketplaces"; name: string }[],
) {
  await nav(page, "VDCs");
  await page.getByRole("button", { name: "Create VDC" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await pickOption(page, dialog.getByRole("combobox", { name: "Groups" }), group);
  await dialog.getByLabel("Name").click(); // closes the dropdown
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();

  await page.getByRole("tab", { name: /Resources/ }).click();
  await expect(page.getByText("No resources yet")).toBeVisible();
  const add = page.getByRole("group", { name: "Add a resource" });
  for (const r of resources) {
    await add.getByText(r.type, { exact: true }).click();
    await pickOption(page, add.getByRole("combobox", { name: r.type.slice(0, -1) }), r.name);
    await add.getByRole("button", { name: "Add" }).click();
    await expect(page.getByRole("table", { name: "Resources" }).getByRole("link", { name: r.name })).toBeVisible();
  }
  await expect(page.getByRole("tab", { name: `Resources (${resources.length})` })).toBeVisible();
}

async function createUserInUi(page: Page, username: string, password: string, group: string) {
  await nav(page, "Users");
  await page.getByRole("button", { name: "Create user" }).click();
  const dialog = page.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel("Username").fill(username);
  await dialog.getByLabel("Password").fill(password);
  await pickOption(page, dialog.getByRole("combobox", { name: "Primary group" }), group);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();
}

async function signInAs(browser: Browser, who: { username: string; password: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughUi(page, who);
  return page;
}

/** Opens the app's import dialog, fills it in for `datastore` and (unless told not to) submits it. */
async function importInUi(page: Page, appId: number, datastore: string, imageName: string, submit = true) {
  await page.goto(`/apps/${appId}`);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const dialog = page.getByRole("dialog");
  const select = dialog.getByLabel("Datastore");
  await select.selectOption((await select.locator("option", { hasText: datastore }).getAttribute("value"))!);
  await dialog.getByLabel("Image name").fill(imageName);
  if (submit) await dialog.getByRole("button", { name: "Import", exact: true }).click();
  return dialog;
}

/** An image from a URL, published to an http marketplace: the app the users import. */
async function publishApp(admin: APIRequestContext, url: string, publicDir: string) {
  const ready = async (path: string) =>
    expect.poll(async () => (await (await admin.get(path)).json()).state, { timeout: 30_000 }).toBe("READY");
  const ds = await admin.post("/api/v1/datastores", { data: { name: unique("source") } });
  expect(ds.status(), await ds.text()).toBe(201);
  const image = await admin.post("/api/v1/images", {
    data: { source: "url", url, name: unique("base"), datastoreId: (await ds.json()).id },
  });
  expect(image.status(), await image.text()).toBe(201);
  const imageId = (await image.json()).id;
  await ready(`/api/v1/images/${imageId}`);
  const marketName = unique("vdc-market");
  const market = await admin.post("/api/v1/marketplaces", {
    data: { name: marketName, driver: "http", config: { publicDir } },
  });
  expect(market.status(), await market.text()).toBe(201);
  const app = await admin.post("/api/v1/apps", {
    data: { marketplaceId: (await market.json()).id, imageId, name: unique("shared-app") },
  });
  expect(app.status(), await app.text()).toBe(201);
  const appId: number = (await app.json()).id;
  await ready(`/api/v1/apps/${appId}`);
  return { appId, marketName };
}

test.describe("VDCs", () => {
  let files: Server;
  let url: string;
  let publicDir: string;

  test.beforeAll(async () => {
    publicDir = mkdtempSync(path.join(tmpdir(), "bazaar-e2e-vdc-"));
    files = createServer((_req, res) => res.end(DISK));
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/disk.raw`;
  });
  test.afterAll(async () => {
    await new Promise((resolve) => files?.close(resolve));
    rmSync(publicDir, { recursive: true, force: true });
  });

  test("two VDCs, each with its own datastore: both import the same app and see nothing of the other", async ({
    page,
    browser,
    admin,
  }) => {
    test.setTimeout(90_000);
    const { appId, marketName } = await publishApp(admin, url, publicDir);
    const password = "vdc-password-1";
    const sides = ["a", "b"].map((s) => ({
      group: unique(`team-${s}`),
      datastore: unique(`ds-${s}`),
      vdc: unique(`vdc-${s}`),
      user: { username: unique(`user-${s}`), password },
      image: unique(`img-${s}`),
    }));
    const [a, b] = sides;

    // the admin's part, in the browser: groups, datastores, VDCs (pickers), users
    await signInThroughUi(page, ADMIN);
    for (const s of sides) await createGroupInUi(page, s.group);
    for (const s of sides) await createDatastoreInUi(page, s.datastore);
    await createVdcInUi(page, a.vdc, a.group, [
      { type: "Datastores", name: a.datastore },
      { type: "Marketplaces", name: marketName },
    ]);
    await createVdcInUi(page, b.vdc, b.group, [{ type: "Datastores", name: b.datastore }]);
    for (const s of sides) await createUserInUi(page, s.user.username, password, s.group);

    // the datastore's Permissions tab names the VDC that grants it
    await nav(page, "Datastores");
    await page.getByRole("table", { name: "Datastores" }).getByRole("link", { name: a.datastore }).click();
    await page.getByRole("tab", { name: "Permissions" }).click();
    await expect(page.getByRole("list", { name: "VDC grants" })).toHaveText(
      `Granted by VDC ${a.vdc} to group ${a.group} (USE)`,
    );

    // each user (both at once): the dashboard says where they can import; the import lands in
    // their VDC datastore; neither sees the other's image or datastore
    const pages = await Promise.all(sides.map((s) => signInAs(browser, s.user)));
    await Promise.all(
      sides.map(async (s, i) => {
        const userPage = pages[i];
        const targets = userPage.getByRole("list", { name: "Datastores you can import into" });
        await expect(targets.getByRole("link", { name: s.datastore })).toBeVisible();
        // (other specs may leave datastores everyone may use: only the other VDC's must be absent)
        const other = sides[1 - i];
        await expect(targets.getByRole("link", { name: other.datastore })).toHaveCount(0);
        await importInUi(userPage, appId, s.datastore, s.image);
        await expect(userPage).toHaveURL(/\/images\/\d+$/);
        await expect(userPage.getByRole("heading", { name: new RegExp(s.image) }).getByText("Ready")).toBeVisible({
          timeout: 30_000,
        });
      }),
    );
    await Promise.all(
      sides.map(async (s, i) => {
        const other = sides[1 - i];
        const userPage = pages[i];
        await nav(userPage, "Images");
        const images = userPage.getByRole("table", { name: "Images" });
        await expect(images.getByRole("link", { name: s.image })).toBeVisible();
        await expect(images.getByRole("link", { name: other.image })).toHaveCount(0);
        await nav(userPage, "Datastores");
        const datastores = userPage.getByRole("table", { name: "Datastores" });
        await expect(datastores.getByRole("link", { name: s.datastore })).toBeVisible();
        await expect(datastores.getByRole("link", { name: other.datastore })).toHaveCount(0);
      }),
    );

    // the admin gives user a 3 MiB in its datastore; it already holds the 2 MiB app
    await nav(page, "Users");
    await page.getByRole("textbox", { name: "Search" }).fill(a.user.username);
    await expect(page).toHaveURL(new RegExp(`q=${a.user.username}`));
    await page.getByRole("table", { name: "Users" }).getByRole("link", { name: a.user.username }).click();
    await page.getByRole("tab", { name: "Quotas" }).click();
    await page.getByRole("button", { name: "Edit quotas" }).click();
    const quotas = page.getByRole("dialog", { name: `Quotas of ${a.user.username}` });
    await quotas.getByRole("button", { name: "Add a datastore" }).click();
    const row = quotas.getByRole("group", { name: "Datastore quota" });
    await pickOption(page, row.getByRole("combobox", { name: "Datastore" }), a.datastore);
    await row.getByLabel("Max size").fill("3");
    await row.getByLabel("Unit").selectOption("MiB");
    // a field error from the server lands next to its field
    const all = quotas.getByRole("group", { name: "All datastores" });
    await all.getByLabel("Max images").fill("3000000000");
    await quotas.getByRole("button", { name: "Save quotas" }).click();
    await expect(all.getByText("must be at most 2147483647")).toBeVisible();
    await all.getByLabel("Max images").clear();
    await quotas.getByRole("button", { name: "Save quotas" }).click();
    await expect(quotas).toBeHidden();
    await expect(page.getByRole("meter", { name: `Size in ${a.datastore}` })).toHaveAttribute(
      "aria-valuetext",
      "2.0 MiB of 3.0 MiB",
    );

    // a second import would take user a past it: the import dialog says so before any byte moves
    const dialog = await importInUi(pages[0], appId, a.datastore, unique("over"), false);
    await expect(dialog.getByText(`exceeds the size quota of user ${a.user.username}`)).toBeVisible();
    await expect(
      dialog.getByText(`Quota exceeded: user ${a.user.username} may store 3.0 MiB in datastore ${a.datastore}`),
    ).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Import", exact: true })).toBeDisabled();

    for (const p of pages) await p.context().close();
  });
});
