import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

/** A file of random bytes (a raw disk: whole sectors), and its sha256. */
async function makeDisk(mib: number): Promise<{ file: string; sha256: string }> {
  const file = path.join(tmpdir(), `${unique("disk")}.raw`);
  const hash = createHash("sha256");
  const out = createWriteStream(file);
  for (let i = 0; i < mib; i++) {
    const chunk = randomBytes(1024 * 1024);
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return { file, sha256: hash.digest("hex") };
}

test("a 200 MB upload survives a dropped connection and ends READY with the same sha256", async ({ page, admin }) => {
  test.setTimeout(240_000);
  const disk = await makeDisk(200);
  try {
    await signInThroughUi(page, ADMIN);
    // the datastore through the browser
    const dsName = unique("store");
    await page.getByRole("navigation").getByRole("link", { name: "Datastores" }).click();
    await page.getByRole("button", { name: "Create datastore" }).click();
    const dsDialog = page.getByRole("dialog");
    await dsDialog.getByLabel("Name").fill(dsName);
    await dsDialog.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page.getByRole("link", { name: dsName })).toBeVisible();
    const ds = (await (await admin.get(`/api/v1/datastores?q=${dsName}`)).json()).items[0];

    await page.getByRole("navigation").getByRole("link", { name: "Images" }).click();
    await page.getByRole("button", { name: "Upload image" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Image file").setInputFiles(disk.file);
    const imageName = unique("big");
    await dialog.getByLabel("Name").fill(imageName);
    await dialog.getByLabel("Datastore").selectOption(String(ds.id));
    await dialog.getByLabel("Type").selectOption("DATABLOCK");
    await dialog.getByRole("button", { name: "Upload", exact: true }).click();

    const bar = page.getByRole("progressbar", { name: `Upload of ${imageName}` }).first();
    await expect(bar).toBeVisible();
    await expect
      .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 60_000 })
      .toBeGreaterThan(10);

    // the network drops: every upload request fails for a few seconds
    await page.route("**/api/v1/uploads/**", (route) => route.abort("connectionreset"));
    await expect(bar).toHaveAttribute("aria-valuetext", /Reconnecting/, { timeout: 30_000 });
    const before = Number(await bar.getAttribute("aria-valuenow"));
    await page.unroute("**/api/v1/uploads/**");

    // it goes on from where the server is, not from zero, and finishes
    await expect
      .poll(async () => Number((await bar.getAttribute("aria-valuenow")) ?? 100), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(before);
    const image = await expect
      .poll(
        async () => {
          const list = await (await admin.get(`/api/v1/images?q=${imageName}`)).json();
          return list.items[0]?.state;
        },
        { timeout: 120_000, intervals: [1000] },
      )
      .toBe("READY")
      .then(async () => (await (await admin.get(`/api/v1/images?q=${imageName}`)).json()).items[0]);
    expect(image.sha256).toBe(disk.sha256);
    expect(image.sizeBytes).toBe(200 * 1024 * 1024);

    // the image page shows it READY with its checksum
    await dialog.getByRole("link", { name: `Open image ${imageName}` }).click();
    await expect(page.getByText(disk.sha256)).toBeVisible();
    await expect(page.getByRole("link", { name: "Download" })).toBeVisible();
  } finally {
    rmSync(disk.file, { force: true });
  }
});

test("a refused URL import shows the reason next to the URL field", async ({ page, admin }) => {
  const ds = await (await admin.post("/api/v1/datastores", { data: { name: unique("urls") } })).json();
  await signInThroughUi(page, ADMIN);
  await page.goto("/images");
  await page.getByRole("button", { name: "Import from URL" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("URL").fill("http://10.1.2.3/disk.qcow2");
  await dialog.getByLabel("Name").fill(unique("lan"));
  await dialog.getByLabel("Datastore").selectOption(String(ds.id));
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await expect(dialog.getByText(/the address 10\.1\.2\.3 is private/)).toBeVisible();
});
