import path from "node:path";
import type { APIRequestContext, APIResponse, Browser, Page } from "@playwright/test";
import { ADMIN, expect, signInThroughUi, test } from "../e2e/fixtures";
import { startScreenshotCatalog, type ScreenshotCatalog } from "./screenshot-catalog";

/**
 * The README's screenshots (`npm run screenshots`, see playwright.screenshots.config.ts): the
 * dashboard and the catalog as cards and as a table, light and dark, at 1440x900, on a fresh
 * portal filled with a believable catalog: a public catalog "OpenNebula Public" read from a
 * local one (docs/screenshot-catalog.ts), a private marketplace with an app published here,
 * a few datastores and the jobs that filled them.
 */

const SCHEMES = ["light", "dark"] as const;
type Scheme = (typeof SCHEMES)[number];

let catalog: ScreenshotCatalog;

test.beforeAll(async () => {
  catalog = await startScreenshotCatalog();
});
test.afterAll(async () => {
  await catalog?.close();
});

/** The JSON of a response that must have `status`. */
async function ok(res: Promise<APIResponse>, status = 200) {
  const r = await res;
  expect(r.status(), await r.text()).toBe(status);
  return r.json().catch(() => null);
}

async function fillPortal(admin: APIRequestContext) {
  const ready = (p: string) =>
    expect.poll(async () => (await (await admin.get(p)).json()).state, { timeout: 60_000 }).toBe("READY");

  // a public catalog, read from the local one
  const one = await ok(
    admin.post("/api/v1/marketplaces", {
      data: { name: "OpenNebula Public", driver: "one", config: { endpoint: catalog.url } },
    }),
    201,
  );
  await ok(admin.post(`/api/v1/marketplaces/${one.id}/monitor`));

  // datastores, an image imported into one, published into a private marketplace
  const datastores = [];
  for (const [name, description] of [
    ["Production SSD", "NVMe pool for running VMs"],
    ["Golden images", "Images published to the marketplaces"],
    ["Archive", "Older releases kept for audits"],
  ])
    datastores.push(await ok(admin.post("/api/v1/datastores", { data: { name, description } }), 201));
  const image = await ok(
    admin.post("/api/v1/images", {
      data: {
        source: "url",
        url: `${catalog.url}/files/disk.raw`,
        name: "web-frontend-base",
        datastoreId: datastores[1].id,
      },
    }),
    201,
  );
  await ready(`/api/v1/images/${image.id}`);
  const market = await ok(
    admin.post("/api/v1/marketplaces", {
      data: {
        name: "Engineering apps",
        description: "Appliances built by the platform team",
        driver: "http",
        config: { publicDir: path.join(test.info().outputDir, "engineering-market") },
      },
    }),
    201,
  );
  const app = await ok(
    admin.post("/api/v1/apps", {
      data: {
        marketplaceId: market.id,
        imageId: image.id,
        name: "Web frontend base",
        version: "2.3.0",
        description: "The base image of our web frontends: Nginx, Node.js 22 and the monitoring agent.",
        tags: ["web", "nodejs", "internal", "monitoring", "nginx"],
        hypervisor: "kvm",
        architecture: "x86_64",
      },
    }),
    201,
  );
  await ready(`/api/v1/apps/${app.id}`);
}

/** A signed-in page in the colour scheme given, the way a user who chose it sees the portal. */
async function pageIn(browser: Browser, scheme: Scheme): Promise<Page> {
  const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1440, height: 900 } });
  await context.addInitScript((value) => localStorage.setItem("mantine-color-scheme-value", value), scheme);
  const page = await context.newPage();
  await signInThroughUi(page, ADMIN);
  return page;
}

/** Waits for every image (the logos) to have loaded, then writes docs/screenshots/<name>.png. */
async function shoot(page: Page, name: string) {
  await expect
    .poll(() =>
      page.evaluate(() =>
        [...document.images]
          // lazy images below the fold never load
          .filter((img) => img.getBoundingClientRect().top < window.innerHeight)
          .every((img) => img.complete && img.naturalWidth > 0),
      ),
    )
    .toBe(true);
  // no caret, hover or transition caught half-way
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(test.info().project.testDir, "screenshots", `${name}.png`) });
}

test("screenshots of the dashboard and the catalog, light and dark", async ({ browser, admin }) => {
  await fillPortal(admin);
  for (const scheme of SCHEMES) {
    const page = await pageIn(browser, scheme);
    try {
      await page.goto("/");
      await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
      await expect(page.getByRole("link", { name: "Web frontend base" }).first()).toBeVisible();
      await shoot(page, `dashboard-${scheme}`);

      // the newest apps: a mix of systems and applications, the one published here first
      await page.goto("/apps?sort=createdAt&order=desc");
      await expect(page.getByRole("list", { name: "Apps" }).getByRole("article")).toHaveCount(25);
      await shoot(page, `catalog-cards-${scheme}`);

      await page.goto("/apps?view=table&sort=createdAt&order=desc");
      await expect(
        page.getByRole("table", { name: "Apps" }).getByRole("link", { name: "Web frontend base" }),
      ).toBeVisible();
      await shoot(page, `catalog-table-${scheme}`);
    } finally {
      await page.context().close();
    }
  }
});
