import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

/**
 * A list left open while a job that adds to it runs shows the job's outcome when the job ends.
 * Nothing else refreshes it here: the images list polls only while it shows an image that is
 * still moving (this one is not on it yet), and a headless browser sends no focus events. The
 * console sees the job end (its count of active jobs goes down) and refreshes the lists a
 * job's outcome shows in: images, apps, templates, datastores, marketplaces, quotas.
 */
test.describe("lists follow the jobs", () => {
  let files: Server;
  let url: string;

  test.beforeAll(async () => {
    // 2 MiB sent over about 12 s: the job outlives the console's slowest look at the active
    // jobs (every 10 s while none runs), so the console sees it run and then end
    files = createServer(async (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": 32 * 65536 });
      for (let i = 0; i < 32 && !res.destroyed; i++) {
        res.write(Buffer.alloc(65536, i));
        await new Promise((r) => setTimeout(r, 375));
      }
      res.end();
    });
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/disk.raw`;
  });
  test.afterAll(async () => {
    files.closeAllConnections();
    await new Promise((resolve) => files.close(resolve));
  });

  test("an image imported by another client appears in an open images list when its job ends", async ({
    page,
    admin,
  }) => {
    test.setTimeout(120_000);
    const ds = await admin.post("/api/v1/datastores", { data: { name: unique("refresh-ds") } });
    expect(ds.status(), await ds.text()).toBe(201);
    const name = unique("refresh-img");

    await signInThroughUi(page, ADMIN);
    await page.goto(`/images?q=${name}`);
    const table = page.getByRole("table", { name: "Images" });
    await expect(page.getByText("No images match")).toBeVisible();

    const res = await admin.post("/api/v1/images", {
      data: { source: "url", url, name, datastoreId: (await ds.json()).id },
    });
    expect(res.status(), await res.text()).toBe(201);
    const { id } = await res.json();
    await expect
      .poll(async () => (await (await admin.get(`/api/v1/images/${id}`)).json()).state, { timeout: 90_000 })
      .toBe("READY");

    // the open list, never reloaded, shows it READY
    const row = table.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
    await expect(row).toBeVisible({ timeout: 15_000 });
    await expect(row.getByText("READY")).toBeVisible();
  });
});
