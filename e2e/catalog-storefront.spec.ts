import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext, Locator } from "@playwright/test";
import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

/**
 * The catalog as a storefront: it opens on cards that show what an app is at a glance, its
 * filters tell how many apps have each value, and its table keeps names on one line and lets
 * people choose the columns, a choice the browser keeps.
 */
test.use({ viewport: { width: 1440, height: 900 } });

/** The text is not cut with "…": its element is as wide as the text. */
const expectWhole = (text: Locator) =>
  expect.poll(() => text.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

interface Published {
  id: number;
  name: string;
  version: string;
  publisher: string;
  sizeBytes: number;
  marketplace: { id: number; name: string };
}

test.describe("the catalog storefront", () => {
  let work: string;
  let files: Server;
  const disk = randomBytes(96 * 1024);

  test.beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "bazaar-e2e-storefront-"));
    files = createServer((_req, res) => res.end(disk));
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  });
  test.afterAll(async () => {
    await new Promise((resolve) => files?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  /** Apps of one READY image in a marketplace of their own, published one after the other. */
  async function publishApps(
    admin: APIRequestContext,
    apps: { name: string; version: string; description: string; tags: string[]; hypervisor: string }[],
  ): Promise<Published[]> {
    const ready = (p: string) =>
      expect.poll(async () => (await (await admin.get(p)).json()).state, { timeout: 45_000 }).toBe("READY");
    const ds = await admin.post("/api/v1/datastores", { data: { name: unique("storefront-ds") } });
    expect(ds.status(), await ds.text()).toBe(201);
    const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/disk.raw`;
    const image = await admin.post("/api/v1/images", {
      data: { source: "url", url, name: unique("storefront-img"), datastoreId: (await ds.json()).id },
    });
    expect(image.status(), await image.text()).toBe(201);
    const imageId: number = (await image.json()).id;
    await ready(`/api/v1/images/${imageId}`);
    const market = await admin.post("/api/v1/marketplaces", {
      data: { name: unique("storefront-market"), driver: "http", config: { publicDir: path.join(work, unique("m")) } },
    });
    expect(market.status(), await market.text()).toBe(201);
    const marketplaceId: number = (await market.json()).id;
    const published: Published[] = [];
    for (const app of apps) {
      const res = await admin.post("/api/v1/apps", {
        data: { marketplaceId, imageId, architecture: "x86_64", ...app },
      });
      expect(res.status(), await res.text()).toBe(201);
      const id: number = (await res.json()).id;
      await ready(`/api/v1/apps/${id}`);
      published.push(await (await admin.get(`/api/v1/apps/${id}`)).json());
    }
    return published;
  }

  test("the catalog opens on cards that show an app at a glance; filters count their values", async ({
    page,
    admin,
  }) => {
    test.setTimeout(120_000);
    const tag = unique("sf");
    const hypervisor = unique("hv").toLowerCase();
    const [ubuntu] = await publishApps(admin, [
      {
        name: unique("Storefront Ubuntu"),
        version: "24.04.1",
        description: "Ubuntu Server with cloud-init, ready in seconds.\nSecond line that the card does not show.",
        tags: [tag, "linux", "cloud-init", "ssh", "lts", "minimal"],
        hypervisor,
      },
      { name: unique("Storefront Debian"), version: "12.8", description: "Debian.", tags: [tag], hypervisor },
      { name: unique("Storefront Alpine"), version: "3.21", description: "Alpine.", tags: [tag], hypervisor },
    ]);

    await signInThroughUi(page, ADMIN);
    await page.goto("/apps");
    await expect(page.getByRole("radio", { name: "Cards" })).toBeChecked();
    await expect(page.getByRole("table", { name: "Apps" })).toHaveCount(0);

    // a card: name, version and publisher, the first line of the description, size, tags
    await page.getByRole("textbox", { name: "Search" }).fill(ubuntu.name);
    const card = page.getByRole("article", { name: `App ${ubuntu.name}` });
    await expect(card.getByRole("link", { name: ubuntu.name, exact: true })).toBeVisible();
    await expect(card.getByText(`v24.04.1 · ${ubuntu.publisher}`)).toBeVisible();
    await expect(card.getByText("Ubuntu Server with cloud-init, ready in seconds.")).toBeVisible();
    await expect(card).not.toContainText("Second line");
    await expect(card.getByText("96.0 KiB", { exact: false })).toBeVisible();
    await expect(card.getByText("Image", { exact: true })).toBeVisible();
    // the first tags in full, the other three behind "+3" with them in its tooltip
    for (const t of [tag, "linux"]) {
      await expect(card.getByText(t, { exact: true })).toBeVisible();
      await expectWhole(card.getByText(t, { exact: true }));
    }
    await expect(card.getByText("…")).toHaveCount(0);
    const more = card.getByRole("button", { name: /^\+\d more tags/ });
    await expect(more).toHaveText(/^\+\d$/);
    const hiddenCount = Number((await more.textContent())!.slice(1));
    expect(hiddenCount).toBeGreaterThan(0);
    await more.hover();
    await expect(page.getByRole("tooltip")).toContainText("minimal");
    await expect(card.getByText("minimal", { exact: true })).toHaveCount(0);
    await expect(card.getByRole("button", { name: `Import ${ubuntu.name}` })).toBeVisible();

    // the hypervisor filter says how many apps have each value; picking one gives that many
    await page.goto("/apps");
    await page.getByRole("combobox", { name: "Filter by hypervisor" }).click();
    const option = page.getByRole("option", { name: `${hypervisor} (3)` });
    await expect(option).toBeVisible();
    await option.click();
    await expect(page).toHaveURL(new RegExp(`hypervisor=${hypervisor}`));
    await expect(page.getByText("3 apps", { exact: true })).toBeVisible();
    await expect(page.getByRole("list", { name: "Apps" }).getByRole("article")).toHaveCount(3);

    // so does the tags filter
    await page.goto("/apps");
    await page.getByRole("combobox", { name: "Filter by tags" }).click();
    await page.getByRole("option", { name: `${tag} (3)` }).click();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(new RegExp(`tags=${tag}`));
    await expect(page.getByText("3 apps", { exact: true })).toBeVisible();

    // and the filters whose values the console names: the apps' own marketplace holds the three
    await page.goto("/apps");
    const markets = page.getByRole("combobox", { name: "Filter by marketplace" });
    await markets.fill(ubuntu.marketplace.name);
    await page.getByRole("option", { name: `${ubuntu.marketplace.name} (3)` }).click();
    await expect(page).toHaveURL(new RegExp(`marketplaceId=${ubuntu.marketplace.id}(&|$)`));
    await expect(page.getByText("3 apps", { exact: true })).toBeVisible();
    await expect(page.getByRole("list", { name: "Apps" }).getByRole("article")).toHaveCount(3);

    // the table is one click away, and the choice is in the URL
    await page.getByRole("radiogroup", { name: "View" }).getByText("Table").click();
    await expect(page).toHaveURL(/view=table/);
    await expect(page.getByRole("table", { name: "Apps" }).getByRole("link", { name: ubuntu.name })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("table", { name: "Apps" }).getByRole("link", { name: ubuntu.name })).toBeVisible();
  });

  test("the table keeps names on one line and shows the columns chosen, after a reload too", async ({
    page,
    admin,
  }) => {
    test.setTimeout(120_000);
    const tag = unique("sft");
    const hypervisor = unique("hv").toLowerCase();
    const longName = `${unique("Storefront")} Ubuntu Server 24.04 LTS with cloud-init, Docker engine and monitoring agents preinstalled`;
    const [long, short] = await publishApps(admin, [
      { name: longName, version: "1.0", description: "", tags: [tag, "linux", "docker", "monitoring"], hypervisor },
      { name: unique("Short"), version: "1.0", description: "", tags: [tag], hypervisor },
    ]);

    await signInThroughUi(page, ADMIN);
    await page.goto(`/apps?view=table&tags=${tag}`);
    const table = page.getByRole("table", { name: "Apps" });
    const longLink = table.getByRole("link", { name: long.name });
    const shortLink = table.getByRole("link", { name: short.name });
    await expect(longLink).toBeVisible();
    await expect(shortLink).toBeVisible();
    // one line, as tall as a short name's; the whole name in its title
    const [longBox, shortBox] = [await longLink.boundingBox(), await shortLink.boundingBox()];
    expect(longBox!.height).toBeLessThanOrEqual(shortBox!.height + 1);
    await expect(longLink).toHaveAttribute("title", long.name);
    // tags: the first ones whole, then "+N"
    const longRow = table.getByRole("row").filter({ hasText: long.name });
    const header = (name: string) => table.getByRole("rowgroup").first().getByText(name, { exact: true });
    await expect(longRow.getByText(tag, { exact: true })).toBeVisible();
    await expectWhole(longRow.getByText(tag, { exact: true }));
    await expect(longRow.getByRole("button", { name: /^\+\d more tags/ })).toBeVisible();

    // the Columns menu hides a column and shows one that starts hidden
    await expect(header("Version")).toBeVisible();
    await expect(header("Hypervisor")).toHaveCount(0);
    await page.getByRole("button", { name: "Columns" }).click();
    const chooser = page.getByRole("dialog", { name: "Columns" });
    await chooser.getByRole("checkbox", { name: "Version" }).uncheck();
    await chooser.getByRole("checkbox", { name: "Hypervisor" }).check();
    await expect(header("Version")).toHaveCount(0);
    await expect(header("Hypervisor")).toBeVisible();
    await expect(longRow.getByText(hypervisor, { exact: true })).toBeVisible();

    // the browser keeps the choice
    await page.reload();
    await expect(table.getByRole("link", { name: long.name })).toBeVisible();
    await expect(header("Hypervisor")).toBeVisible();
    await expect(header("Version")).toHaveCount(0);

    // and gives it back
    await page.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("dialog", { name: "Columns" }).getByRole("checkbox", { name: "Version" }).check();
    await expect(header("Version")).toBeVisible();
  });
});
