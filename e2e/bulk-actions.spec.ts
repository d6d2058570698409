import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

/**
 * Bulk actions on the lists: rows selected, one confirmation naming every object it will change
 * (and those it skips, with why), then one result per object, the server's reason for a failure.
 */
test.describe("bulk actions", () => {
  let work: string;
  let files: Server;
  /** answers with a first chunk and then nothing: an import from it runs until cancelled */
  let stalling: Server;
  const sockets = new Set<Socket>();
  const disk = randomBytes(128 * 1024);

  test.beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "bazaar-e2e-bulk-"));
    files = createServer((_req, res) => res.end(disk));
    stalling = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      if (req.method === "HEAD") res.end();
      else res.write(disk.subarray(0, 4096));
    });
    stalling.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
  });
  test.afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => stalling?.close(resolve));
    await new Promise((resolve) => files?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  const urlOf = (server: Server, file: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/${file}`;

  async function post(admin: APIRequestContext, url: string, data: unknown) {
    const res = await admin.post(url, { data });
    expect(res.status(), await res.text()).toBe(201);
    return res.json();
  }

  /** Only with SCREENSHOTS=1: the documentation's pictures, in the light and the dark scheme. */
  async function shoot(page: Page, name: string) {
    if (process.env.SCREENSHOTS !== "1") return;
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const scheme of ["light", "dark"]) {
      await page.evaluate((s) => document.documentElement.setAttribute("data-mantine-color-scheme", s), scheme);
      await page.screenshot({ path: path.resolve("docs/screenshots", `${name}-${scheme}.png`) });
    }
    await page.evaluate(() => document.documentElement.setAttribute("data-mantine-color-scheme", "light"));
  }

  test("images: one confirmation names them, each gets a result, the rows change", async ({ page, admin }) => {
    const tag = unique("bulk-img");
    const ds = await post(admin, "/api/v1/datastores", { name: `${tag}-ds` });
    const names = ["alpine", "debian", "ubuntu"].map((n) => `${tag}-${n}`);
    const ids: number[] = [];
    // images waiting for an upload that never comes: INIT is enough for permissions and deletes
    for (const name of names)
      ids.push((await post(admin, "/api/v1/images", { source: "upload", name, datastoreId: ds.id, size: 1024 })).id);
    const groupUse = async (id: number) =>
      (await (await admin.get(`/api/v1/images/${id}`)).json()).permissions.group.use as boolean;
    for (const id of ids) expect(await groupUse(id)).toBe(false);

    await signInThroughUi(page, ADMIN);
    await page.goto(`/images?q=${tag}`);
    const table = page.getByRole("table", { name: "Images" });
    const bar = page.getByRole("region", { name: "Bulk actions" });
    for (const name of names) await expect(table.getByRole("link", { name })).toBeVisible();

    // a selection belongs to the rows shown: another search starts afresh
    await table.getByRole("checkbox", { name: `Select ${names[0]}` }).check();
    await expect(bar).toContainText("1 selected");
    await page.getByRole("textbox", { name: "Search" }).fill(`${tag}-`);
    await expect(page).toHaveURL(new RegExp(`q=${tag}-`));
    await expect(bar).toHaveCount(0);
    await expect(table.getByRole("checkbox", { name: `Select ${names[0]}` })).not.toBeChecked();

    // chmod all three, the nine bits given once
    for (const name of names) await table.getByRole("checkbox", { name: `Select ${name}` }).check();
    await expect(bar).toContainText("3 selected");
    await bar.getByRole("button", { name: "Change permissions" }).click();
    const chmod = page.getByRole("dialog", { name: "Change the permissions of 3 images" });
    const affected = chmod.getByRole("list", { name: "Will be affected" });
    for (const name of names) await expect(affected.getByText(name, { exact: true })).toBeVisible();
    await chmod.getByRole("checkbox", { name: "Group use" }).check();
    await expect(chmod.getByTestId("bulk-permissions-octal")).toHaveText(/^6[4-7]0$/);
    await shoot(page, "bulk-confirm");
    await chmod.getByRole("button", { name: "Change the permissions of 3 images" }).click();
    const results = chmod.getByRole("table", { name: "Results" });
    for (const name of names) await expect(results.getByRole("row").filter({ hasText: name })).toContainText("Done");
    await expect(chmod.getByRole("status")).toHaveText("3 done");
    await chmod.getByRole("button", { name: "Close" }).click();
    await expect(chmod).toBeHidden();
    await expect(bar).toHaveCount(0);
    for (const id of ids) expect(await groupUse(id)).toBe(true);

    // delete two of them: the third stays
    await table.getByRole("checkbox", { name: `Select ${names[0]}` }).check();
    await table.getByRole("checkbox", { name: `Select ${names[1]}` }).check();
    await bar.getByRole("button", { name: "Delete" }).click();
    const del = page.getByRole("dialog", { name: "Delete 2 images" });
    const doomed = del.getByRole("list", { name: "Will be affected" }).getByRole("listitem");
    await expect(doomed).toHaveCount(2);
    for (const name of names.slice(0, 2)) await expect(doomed.filter({ hasText: name })).toHaveCount(1);
    await del.getByRole("button", { name: "Delete 2 images" }).click();
    await expect(del.getByRole("status")).toHaveText("2 done");
    await del.getByRole("button", { name: "Close" }).click();
    await expect(table.getByRole("link", { name: names[0] })).toHaveCount(0);
    await expect(table.getByRole("link", { name: names[1] })).toHaveCount(0);
    await expect(table.getByRole("link", { name: names[2] })).toBeVisible();
  });

  test("a bulk delete goes on past a refusal and shows the server's reason for it", async ({ page, admin }) => {
    const tag = unique("bulk-vm");
    const template = "CPU = 1\nMEMORY = 256";
    const used = await post(admin, "/api/v1/vm-templates", { name: `${tag}-used`, template });
    const free = await post(admin, "/api/v1/vm-templates", { name: `${tag}-free`, template });
    const service = await post(admin, "/api/v1/service-templates", {
      name: `${tag}-svc`,
      deployment: "straight",
      roles: [{ name: "db", cardinality: 1, vm_template: used.id }],
    });

    await signInThroughUi(page, ADMIN);
    await page.goto(`/vm-templates?q=${tag}`);
    const table = page.getByRole("table", { name: "VM templates" });
    await table.getByRole("checkbox", { name: `Select ${used.name}` }).check();
    await table.getByRole("checkbox", { name: `Select ${free.name}` }).check();
    await page.getByRole("region", { name: "Bulk actions" }).getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete 2 VM templates" });
    const affected = dialog.getByRole("list", { name: "Will be affected" });
    await expect(affected.getByText(used.name, { exact: true })).toBeVisible();
    await expect(affected.getByText(free.name, { exact: true })).toBeVisible();
    await dialog.getByRole("button", { name: "Delete 2 VM templates" }).click();

    await expect(dialog.getByRole("status")).toHaveText("1 done, 1 failed");
    const results = dialog.getByRole("table", { name: "Results" });
    await expect(results.getByRole("row").filter({ hasText: free.name })).toContainText("Done");
    const refused = results.getByRole("row").filter({ hasText: used.name });
    await expect(refused).toContainText(`is used by the roles of service template(s) ${service.name}`);
    await expect(refused).not.toContainText("Done");
    await shoot(page, "bulk-results");
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(table.getByRole("link", { name: free.name })).toHaveCount(0);
    await expect(table.getByRole("link", { name: used.name })).toBeVisible();
  });

  test("marketplaces: Disable runs at once; one already disabled is skipped and says why", async ({ page, admin }) => {
    const tag = unique("bulk-mkt");
    const markets: { id: number; name: string }[] = [];
    for (const n of ["one", "two", "off"])
      markets.push(
        await post(admin, "/api/v1/marketplaces", {
          name: `${tag}-${n}`,
          driver: "http",
          config: { publicDir: path.join(work, `${tag}-${n}`) },
        }),
      );
    const off = markets[2];
    expect((await admin.patch(`/api/v1/marketplaces/${off.id}`, { data: { enabled: false } })).status()).toBe(200);

    await signInThroughUi(page, ADMIN);
    await page.goto(`/marketplaces?q=${tag}`);
    const table = page.getByRole("table", { name: "Marketplaces" });
    for (const m of markets) await table.getByRole("checkbox", { name: `Select ${m.name}` }).check();
    await page.getByRole("region", { name: "Bulk actions" }).getByRole("button", { name: "Disable" }).click();

    // no question for a switch, but what was skipped is shown with the results
    const dialog = page.getByRole("dialog", { name: "Disable 2 marketplaces" });
    await expect(dialog.getByRole("status")).toHaveText("2 done");
    await expect(dialog.getByRole("list", { name: "Skipped" })).toHaveText(`${off.name}: Already disabled`);
    await dialog.getByRole("button", { name: "Close" }).click();
    for (const m of markets) await expect(table.getByRole("row").filter({ hasText: m.name })).toContainText("Disabled");
    for (const m of markets)
      expect((await (await admin.get(`/api/v1/marketplaces/${m.id}`)).json()).enabled).toBe(false);
  });

  test("apps: lock at a level chosen once, then unlock", async ({ page, admin }) => {
    test.setTimeout(90_000);
    const tag = unique("bulk-app");
    const ready = (p: string) =>
      expect.poll(async () => (await (await admin.get(p)).json()).state, { timeout: 45_000 }).toBe("READY");
    const ds = await post(admin, "/api/v1/datastores", { name: `${tag}-ds` });
    const image = await post(admin, "/api/v1/images", {
      source: "url",
      url: urlOf(files, "disk.raw"),
      name: `${tag}-disk`,
      datastoreId: ds.id,
    });
    await ready(`/api/v1/images/${image.id}`);
    const market = await post(admin, "/api/v1/marketplaces", {
      name: `${tag}-market`,
      driver: "http",
      config: { publicDir: path.join(work, `${tag}-market`) },
    });
    const apps: { id: number; name: string }[] = [];
    for (const n of ["first", "second"]) {
      const app = await post(admin, "/api/v1/apps", {
        marketplaceId: market.id,
        imageId: image.id,
        name: `${tag}-${n}`,
      });
      await ready(`/api/v1/apps/${app.id}`);
      apps.push(app);
    }
    const lockOf = async (id: number) => (await (await admin.get(`/api/v1/apps/${id}`)).json()).lockLevel;

    await signInThroughUi(page, ADMIN);
    await page.goto(`/apps?q=${tag}&view=table`);
    const table = page.getByRole("table", { name: "Apps" });
    const bar = page.getByRole("region", { name: "Bulk actions" });
    const selectBoth = async () => {
      for (const a of apps) await table.getByRole("checkbox", { name: `Select ${a.name}` }).check();
    };

    await selectBoth();
    await bar.getByRole("button", { name: "Lock", exact: true }).click();
    const lock = page.getByRole("dialog", { name: "Lock 2 apps" });
    await lock.getByRole("combobox", { name: "Lock level" }).click();
    await page.getByRole("option", { name: /^MANAGE/ }).click();
    await lock.getByRole("button", { name: "Lock 2 apps" }).click();
    await expect(lock.getByRole("status")).toHaveText("2 done");
    await lock.getByRole("button", { name: "Close" }).click();
    for (const a of apps) {
      await expect(
        table.getByRole("row").filter({ hasText: a.name }).getByRole("img", { name: "Locked (MANAGE)" }),
      ).toBeVisible();
      expect(await lockOf(a.id)).toBe("MANAGE");
    }

    // locked apps are not deleted: the confirmation says so and offers nothing to run
    await selectBoth();
    await bar.getByRole("button", { name: "Delete" }).click();
    const del = page.getByRole("dialog", { name: "Delete 0 apps" });
    await expect(del.getByRole("list", { name: "Skipped" }).getByRole("listitem")).toHaveText(
      apps.map((a) => `${a.name}: The app is locked (MANAGE); unlock it first`),
    );
    await expect(del.getByRole("button", { name: "Delete 0 apps" })).toBeDisabled();
    await del.getByRole("button", { name: "Back" }).click();

    await bar.getByRole("button", { name: "Unlock" }).click();
    const unlock = page.getByRole("dialog", { name: "Unlock 2 apps" });
    await unlock.getByRole("button", { name: "Unlock 2 apps" }).click();
    await expect(unlock.getByRole("status")).toHaveText("2 done");
    await unlock.getByRole("button", { name: "Close" }).click();
    for (const a of apps) expect(await lockOf(a.id)).toBeNull();
  });

  test("jobs: cancel several running imports at once", async ({ page, admin }) => {
    const tag = unique("bulk-job");
    const ds = await post(admin, "/api/v1/datastores", { name: `${tag}-ds` });
    const jobIds: number[] = [];
    for (const n of ["a", "b"]) {
      const image = await post(admin, "/api/v1/images", {
        source: "url",
        url: urlOf(stalling, `${n}.raw`),
        name: `${tag}-${n}`,
        datastoreId: ds.id,
      });
      const jobOf = async () => ((await (await admin.get(`/api/v1/images/${image.id}`)).json()).job?.id as number) ?? 0;
      await expect.poll(jobOf).not.toBe(0);
      jobIds.push(await jobOf());
    }
    const stateOf = async (id: number) => (await (await admin.get(`/api/v1/jobs/${id}`)).json()).state;

    await signInThroughUi(page, ADMIN);
    await page.goto(`/jobs?show=active&q=${tag}`);
    const table = page.getByRole("table", { name: "Jobs" });
    for (const id of jobIds) await table.getByRole("checkbox", { name: new RegExp(`^Select Job ${id}:`) }).check();
    await page.getByRole("region", { name: "Bulk actions" }).getByRole("button", { name: "Cancel" }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel 2 jobs" });
    const affected = dialog.getByRole("list", { name: "Will be affected" });
    for (const id of jobIds) await expect(affected.getByText(new RegExp(`^Job ${id}: Import ${tag}`))).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel 2 jobs" }).click();
    await expect(dialog.getByRole("status")).toHaveText("2 done");
    await dialog.getByRole("button", { name: "Close" }).click();
    for (const id of jobIds) await expect.poll(() => stateOf(id), { timeout: 45_000 }).toBe("CANCELLED");
    await expect(table.getByRole("row").filter({ hasText: tag })).toHaveCount(0);
  });
});
