import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ADMIN, apiAs, createUser, expect, signInThroughUi, test, unique } from "./fixtures";

/**
 * What the console tells an operator: a failing monitor in the marketplace list, in a sentence
 * rather than the system's words; checksums that say which bytes they belong to; objects named
 * by their names, not "#id".
 */
test.describe("the console states what it knows", () => {
  let work: string;
  let files: Server;
  let qcow2: Buffer;

  test.beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "bazaar-e2e-console-"));
    writeFileSync(path.join(work, "disk.raw"), randomBytes(256 * 1024));
    execFileSync("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", "--", "disk.raw", "disk.qcow2"], { cwd: work });
    qcow2 = readFileSync(path.join(work, "disk.qcow2"));
    files = createServer((_req, res) => res.end(qcow2));
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  });
  test.afterAll(async () => {
    await new Promise((resolve) => files?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  test("a marketplace whose folder is gone says so in the list", async ({ page, admin }) => {
    const dir = path.join(work, unique("gone-market"));
    const name = unique("failing");
    const res = await admin.post("/api/v1/marketplaces", {
      data: { name, driver: "http", config: { publicDir: dir } },
    });
    expect(res.status(), await res.text()).toBe(201);
    const id: number = (await res.json()).id;
    rmSync(dir, { recursive: true, force: true });
    await admin.post(`/api/v1/marketplaces/${id}/monitor`);

    await signInThroughUi(page, ADMIN);
    await page.goto(`/marketplaces?q=${name}`);
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row.getByText("Monitor failed", { exact: true })).toBeVisible();
    await expect(row.getByText(`the folder ${dir} does not exist`)).toBeVisible();
    await expect(row.getByText("Unknown: the monitor fails")).toBeVisible();
    await expect(row).not.toContainText("ENOENT");
    await expect(row).not.toContainText("0 B");
  });

  test("a converted image says whose checksums are whose; origins are named", async ({
    page,
    admin,
    browser,
    baseURL,
  }) => {
    test.setTimeout(90_000);
    const ready = async (p: string) =>
      expect.poll(async () => (await (await admin.get(p)).json()).state, { timeout: 45_000 }).toBe("READY");
    const ds = await (
      await admin.post("/api/v1/datastores", { data: { name: unique("raw-ds"), requiredFormat: "raw" } })
    ).json();
    const md5 = createHash("md5").update(qcow2).digest("hex");
    const imageName = unique("converted");
    const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/disk.qcow2`;
    const created = await admin.post("/api/v1/images", {
      data: { source: "url", url, name: imageName, datastoreId: ds.id, expectedMd5: md5 },
    });
    expect(created.status(), await created.text()).toBe(201);
    const imageId: number = (await created.json()).id;
    await ready(`/api/v1/images/${imageId}`);

    const market = await admin.post("/api/v1/marketplaces", {
      data: { name: unique("named-market"), driver: "http", config: { publicDir: path.join(work, "market") } },
    });
    expect(market.status(), await market.text()).toBe(201);
    const appName = unique("named-app");
    const app = await admin.post("/api/v1/apps", {
      data: { marketplaceId: (await market.json()).id, imageId, name: appName },
    });
    expect(app.status(), await app.text()).toBe(201);
    const appId: number = (await app.json()).id;
    await ready(`/api/v1/apps/${appId}`);
    const imported = await admin.post(`/api/v1/apps/${appId}/import`, {
      data: { datastoreId: ds.id, name: unique("from-app") },
    });
    expect(imported.status(), await imported.text()).toBe(201);
    const copyId: number = (await imported.json()).created[0].id;
    await ready(`/api/v1/images/${copyId}`);

    await signInThroughUi(page, ADMIN);
    await page.goto(`/images/${imageId}`);
    const info = page.getByRole("table", { name: "Image information" });
    await expect(info.getByText("MD5 of the stored file")).toBeVisible();
    await expect(info.getByText("MD5 given for the source")).toBeVisible();
    await expect(
      info.getByText(/The bytes received matched them\. They were then turned into the stored raw/),
    ).toBeVisible();
    await expect(info).not.toContainText("Expected MD5");

    await page.goto(`/apps/${appId}`);
    await expect(page.getByRole("link", { name: imageName })).toBeVisible();
    await expect(page.getByText(`Image #${imageId}`)).toHaveCount(0);

    await page.goto(`/images/${copyId}`);
    await expect(page.getByRole("link", { name: appName })).toHaveAttribute("href", `/apps/${appId}`);
    await expect(page.getByText(`app #${appId}`)).toHaveCount(0);

    // a user with no datastore to import into is told so on the Import button itself
    expect((await admin.post(`/api/v1/apps/${appId}/chmod`, { data: { permissions: "644" } })).status()).toBe(204);
    const who = { username: unique("nowhere"), password: "nowhere-password-1" };
    await createUser(admin, who);
    const userApi = await apiAs(baseURL!, who);
    // the datastores other tests shared with everyone are switched off meanwhile, and back on
    type Ds = { id: number };
    const shared: Ds[] = (await (await userApi.get("/api/v1/datastores?enabled=true&perPage=200")).json()).items;
    const setEnabled = (enabled: boolean) =>
      Promise.all(shared.map((d) => admin.patch(`/api/v1/datastores/${d.id}`, { data: { enabled } })));
    const context = await browser.newContext();
    try {
      for (const res of await setEnabled(false)) expect(res.status(), await res.text()).toBe(200);
      expect((await (await userApi.get("/api/v1/datastores?enabled=true")).json()).items).toEqual([]);
      const userPage = await context.newPage();
      await signInThroughUi(userPage, who);
      await userPage.goto(`/apps/${appId}`);
      const importButton = userPage.getByRole("button", { name: "Import", exact: true });
      await expect(importButton).toHaveAttribute("aria-disabled", "true");
      await importButton.hover();
      await expect(userPage.getByRole("tooltip")).toContainText("Ask an administrator to add your group to a VDC");
      await importButton.click({ force: true });
      await expect(userPage.getByRole("dialog")).toHaveCount(0);
    } finally {
      await setEnabled(true);
      await context.close();
      await userApi.dispose();
    }
  });
  test("the dashboard tells the state of the cloud", async ({ page, admin }) => {
    test.setTimeout(90_000);
    // a failing marketplace, a failed transfer and a new app to be seen there
    const dir = path.join(work, unique("gone-again"));
    const marketName = unique("dash-failing");
    const market = await admin.post("/api/v1/marketplaces", {
      data: { name: marketName, driver: "http", config: { publicDir: dir } },
    });
    expect(market.status(), await market.text()).toBe(201);
    rmSync(dir, { recursive: true, force: true });
    await admin.post(`/api/v1/marketplaces/${(await market.json()).id}/monitor`);
    const ds = await (await admin.post("/api/v1/datastores", { data: { name: unique("dash-ds") } })).json();
    const port = (files.address() as AddressInfo).port;
    const missing = unique("missing");
    const failing = await admin.post("/api/v1/images", {
      data: {
        source: "url",
        url: `http://127.0.0.1:${port}/nothing`,
        name: missing,
        datastoreId: ds.id,
        expectedMd5: "0".repeat(32),
      },
    });
    expect(failing.status(), await failing.text()).toBe(201);
    const failingId: number = (await failing.json()).id;
    await expect
      .poll(async () => (await (await admin.get(`/api/v1/images/${failingId}`)).json()).state, { timeout: 45_000 })
      .toBe("ERROR");

    await signInThroughUi(page, ADMIN);
    await page.goto("/");
    const datastores = page.getByRole("list", { name: "Datastores" });
    await expect(datastores.getByRole("link", { name: ds.name })).toBeVisible();
    await expect(datastores.getByRole("meter", { name: `Capacity of ${ds.name}` })).toBeVisible();

    const health = page.getByRole("list", { name: "Marketplace health" });
    const failingRow = health.getByRole("listitem").filter({ hasText: marketName });
    await expect(failingRow.getByText("Monitor failed", { exact: true })).toBeVisible();
    await expect(failingRow.getByText(`the folder ${dir} does not exist`)).toBeVisible();
    await expect(page.getByText(/\d+ of \d+ failing their monitor/)).toBeVisible();

    const failed = page.getByRole("list", { name: "Failed jobs" });
    await expect(failed.getByRole("listitem").filter({ hasText: missing }).first()).toContainText(/md5|checksum/i);

    await expect(page.getByRole("list", { name: "New apps" }).getByRole("listitem").first()).toBeVisible();
    await expect(page.getByRole("heading", { name: "Your quotas" })).toBeVisible();
  });
});
