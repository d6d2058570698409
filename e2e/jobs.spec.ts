import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

/** A job's row on the Jobs page opens on its plan: the steps it ran, each with its state. */
test.describe("jobs", () => {
  let files: Server;
  let filesUrl: string;
  // a raw disk of whole sectors
  const disk = randomBytes(1024 * 1024);

  test.beforeAll(async () => {
    files = createServer((req, res) => {
      if (req.url !== "/disk.raw") {
        res.statusCode = 404;
        return res.end();
      }
      res.setHeader("content-length", disk.length);
      res.end(disk);
    });
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    await new Promise((resolve) => files?.close(resolve));
  });

  test("an image imported by URL shows its plan, every step done, on the Jobs page", async ({ page, admin }) => {
    const ds = await (await admin.post("/api/v1/datastores", { data: { name: unique("plans") } })).json();
    await signInThroughUi(page, ADMIN);

    // the import, through the browser
    const imageName = unique("planned");
    await page.goto("/images");
    await page.getByRole("button", { name: "Import from URL" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("URL").fill(`${filesUrl}/disk.raw`);
    await dialog.getByLabel("Name").fill(imageName);
    await dialog.getByLabel("Datastore").selectOption(String(ds.id));
    await dialog.getByLabel("Type").selectOption("DATABLOCK");
    await dialog.getByRole("button", { name: "Import", exact: true }).click();
    await expect(dialog).toBeHidden();

    const imageOf = async () => (await (await admin.get(`/api/v1/images?q=${imageName}`)).json()).items[0];
    await expect.poll(async () => (await imageOf())?.state, { timeout: 60_000, intervals: [500] }).toBe("READY");
    const jobId: number = (await imageOf()).job.id;

    // its job on the Jobs page, opened on its plan
    await page.getByRole("navigation").getByRole("link", { name: "Jobs" }).click();
    // the Images page has a Search box too: type only once the Jobs page is there
    await expect(page).toHaveURL(/\/jobs$/);
    await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
    await page.getByRole("textbox", { name: "Search" }).fill(imageName);
    const jobs = page.getByRole("table", { name: "Jobs" });
    await expect(jobs.getByRole("row", { name: new RegExp(imageName) })).toContainText("Succeeded");
    const toggle = jobs.getByRole("button", { name: `Show plan of job ${jobId}` });
    await toggle.click();
    await expect(jobs.getByRole("button", { name: `Hide plan of job ${jobId}` })).toHaveAttribute(
      "aria-expanded",
      "true",
    );

    const plan = page.getByRole("list", { name: `Plan of job ${jobId}` });
    const steps = plan.getByRole("listitem");
    // a datastore that takes any format: no conversion step
    const titles = ["Transferring", "Verifying", "Probing", "Storing", "Ready"];
    await expect(steps).toHaveCount(titles.length);
    for (const [i, title] of titles.entries()) {
      await expect(steps.nth(i)).toContainText(title);
      await expect(steps.nth(i)).toContainText("Done");
    }
    await expect(plan).not.toContainText("Failed");

    // and closes again
    await jobs.getByRole("button", { name: `Hide plan of job ${jobId}` }).click();
    await expect(plan).toBeHidden();
  });
});
