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
    // every tus request of the page, with the offset a PATCH writes at and when it was made
    type Phase = "up" | "down" | "back";
    let phase = "up" as Phase;
    const sent: { method: string; url: string; offset: number | null; phase: Phase }[] = [];
    page.on("request", (req) => {
      if (!new URL(req.url()).pathname.startsWith("/api/v1/uploads")) return;
      const offset = req.headers()["upload-offset"];
      sent.push({ method: req.method(), url: req.url(), offset: offset === undefined ? null : Number(offset), phase });
    });
    await expect
      .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 60_000 })
      .toBeGreaterThan(10);

    // the network drops: every upload request fails for a few seconds
    phase = "down";
    await page.route("**/api/v1/uploads/**", (route) => route.abort("connectionreset"));
    await expect(bar).toHaveAttribute("aria-valuetext", /Reconnecting/, { timeout: 30_000 });
    const before = Number(await bar.getAttribute("aria-valuenow"));
    // what the server holds of the upload the page was sending
    const uploadUrl = sent.find((r) => r.method === "PATCH" && r.phase === "up")?.url;
    expect(uploadUrl, "a PATCH before the drop").toBeDefined();
    const head = await admin.head(uploadUrl!, { headers: { "Tus-Resumable": "1.0.0" } });
    expect(head.status()).toBe(200);
    const serverOffset = Number(head.headers()["upload-offset"]);
    expect(serverOffset).toBeGreaterThan(0);
    // the bar stands at what the server holds
    expect(before).toBe(Math.floor((serverOffset / (200 * 1024 * 1024)) * 100));
    // from here on, every value the bar takes
    await page.evaluate((label) => {
      const samples: number[] = [];
      (window as unknown as { uploadSamples: number[] }).uploadSamples = samples;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[role="progressbar"]')) {
          const value = el.getAttribute("aria-valuenow");
          if (el.getAttribute("aria-label") === label && value !== null) samples.push(Number(value));
        }
      }).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ["aria-valuenow"],
      });
    }, `Upload of ${imageName}`);
    phase = "back";
    await page.unroute("**/api/v1/uploads/**");

    // it goes on from where the server is, not from zero: no new upload, and the first write
    // after the drop is at the server's offset of the same upload
    await expect
      .poll(() => sent.filter((r) => r.method === "PATCH" && r.phase === "back").length, { timeout: 60_000 })
      .toBeGreaterThan(0);
    const resumed = sent.filter((r) => r.phase === "back");
    expect(resumed.filter((r) => r.method === "POST")).toEqual([]);
    const writes = resumed.filter((r) => r.method === "PATCH");
    expect(writes[0]).toMatchObject({ url: uploadUrl, offset: serverOffset });
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
    // every later write went on along the same upload, and the bar never went back
    const after = sent.filter((r) => r.phase === "back" && r.method === "PATCH");
    expect(after.map((r) => r.url)).toEqual(after.map(() => uploadUrl));
    const offsets = after.map((r) => r.offset!);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const samples = await page.evaluate(() => (window as unknown as { uploadSamples: number[] }).uploadSamples);
    expect(samples.length).toBeGreaterThan(0);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(before);
    expect(Math.max(...samples)).toBeGreaterThan(before);

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
