import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

/**
 * Issue 18 in the browser: an admin serves an http marketplace as a public catalog and reads
 * its appliance list without signing in, then puts it behind a read token made on the page,
 * reads it with the token's secret, and revokes the token.
 */

test.describe("catalog export", () => {
  let work: string;
  let files: Server;

  test.beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "bazaar-e2e-catalog-"));
    writeFileSync(path.join(work, "disk.raw"), randomBytes(512 * 1024));
    execFileSync("qemu-img", [
      "convert",
      "-f",
      "raw",
      "-O",
      "qcow2",
      path.join(work, "disk.raw"),
      path.join(work, "disk.qcow2"),
    ]);
    const qcow2 = readFileSync(path.join(work, "disk.qcow2"));
    files = createServer((_req, res) => res.end(qcow2));
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  });
  test.afterAll(async () => {
    await new Promise((resolve) => files?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  test("serve a marketplace as a public catalog, then behind a read token made and revoked in the UI", async ({
    page,
    admin,
    request,
  }) => {
    test.setTimeout(60_000);
    const ready = async (p: string) =>
      expect.poll(async () => (await (await admin.get(p)).json()).state, { timeout: 30_000 }).toBe("READY");

    // through the API: an http marketplace holding one READY app that everyone may use
    const ds = await admin.post("/api/v1/datastores", { data: { name: unique("cat-ds") } });
    expect(ds.status(), await ds.text()).toBe(201);
    const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/disk.qcow2`;
    const image = await admin.post("/api/v1/images", {
      data: { source: "url", url, name: unique("cat-image"), datastoreId: (await ds.json()).id },
    });
    expect(image.status(), await image.text()).toBe(201);
    const imageId: number = (await image.json()).id;
    await ready(`/api/v1/images/${imageId}`);
    const marketName = unique("cat-market");
    const market = await admin.post("/api/v1/marketplaces", {
      data: { name: marketName, driver: "http", config: { publicDir: path.join(work, "market") } },
    });
    expect(market.status(), await market.text()).toBe(201);
    const marketId: number = (await market.json()).id;
    const appName = unique("cat-app");
    const app = await admin.post("/api/v1/apps", { data: { marketplaceId: marketId, imageId, name: appName } });
    expect(app.status(), await app.text()).toBe(201);
    const appId: number = (await app.json()).id;
    await ready(`/api/v1/apps/${appId}`);
    expect((await admin.post(`/api/v1/apps/${appId}/chmod`, { data: { permissions: "644" } })).status()).toBe(204);

    // the admin serves it as a public catalog on the marketplace's page
    await signInThroughUi(page, ADMIN);
    await page.goto(`/marketplaces/${marketId}`);
    await page.getByRole("tab", { name: "Catalog" }).click();
    const mode = page.getByRole("radiogroup", { name: "Serve as a catalog" });
    await expect(mode.getByRole("radio", { name: "Off" })).toBeChecked();
    await mode.getByText("Public", { exact: true }).click();
    await expect(page.getByText("Served as a public catalog", { exact: true })).toBeVisible();
    const endpoint = page.getByLabel("OpenNebula endpoint", { exact: true });
    // with a trailing slash: OpenNebula downloads `${ENDPOINT}appliance/<id>/download/0`
    await expect(endpoint).toHaveText(new RegExp(`/catalog/${marketId}/$`));
    const base = (await endpoint.textContent())!.replace(/\/$/, "");
    await expect(page.getByLabel("Appliance list URL", { exact: true })).toHaveText(`${base}/appliance`);
    await expect(page.getByLabel("simplestreams URL", { exact: true })).toHaveText(base);
    await expect(page.getByLabel("OpenNebula template", { exact: true })).toHaveText(
      [`NAME = "${marketName}"`, `MARKET_MAD = "one"`, `ENDPOINT = "${base}/"`].join("\n"),
    );
    await expect(page.getByLabel("Incus command", { exact: true })).toContainText(
      `incus remote add ${marketName} ${base} --protocol simplestreams --public`,
    );

    // anyone reads it, as OpenNebula's `one` driver does: it lists `ENDPOINT + "/appliance"`
    // ("//appliance", answered, not redirected) and downloads `ENDPOINT + "appliance/<id>/download/0"`
    const ENDPOINT = `${base}/`;
    const list = await request.get(`${ENDPOINT}/appliance`, { maxRedirects: 0 });
    expect(list.status(), await list.text()).toBe(200);
    const { appliances } = (await list.json()) as { appliances: { _id: { $oid: string }; name: string }[] };
    expect(appliances.map((a) => a.name)).toContain(appName);
    const listed = appliances.find((a) => a.name === appName)!;
    const file = await request.get(`${ENDPOINT}appliance/${listed._id.$oid}/download/0`, { maxRedirects: 0 });
    expect(file.status()).toBe(200);
    expect(file.headers()["content-length"]).toBe(String((await file.body()).length));

    // behind a read token: the placeholder until one is made
    await mode.getByText("Token", { exact: true }).click();
    await expect(page.getByText("Served as a token catalog", { exact: true })).toBeVisible();
    await expect(endpoint).toHaveText(`${base}/t/<TOKEN>/`);
    expect((await request.get(`${base}/appliance`)).status()).toBe(401);

    const tokenName = unique("one-prod");
    await page.getByRole("button", { name: "Create token" }).click();
    const form = page.getByRole("dialog", { name: "Create read token" });
    await form.getByLabel("Name").fill(tokenName);
    await form.getByRole("button", { name: "Create", exact: true }).click();
    const shown = page.getByRole("dialog", { name: `Read token ${tokenName} created` });
    const secret = (await shown.getByTestId("catalog-token-secret").textContent())!.trim();
    expect(secret.length).toBeGreaterThan(16);
    await expect(shown.getByLabel("OpenNebula template with the token", { exact: true })).toContainText(
      `ENDPOINT = "${base}/t/${secret}/"`,
    );
    await expect(shown.getByLabel("Incus command with the token", { exact: true })).toHaveText(
      `incus remote add ${marketName} ${base}/t/${secret} --protocol simplestreams --public`,
    );
    await shown.getByRole("button", { name: "Done" }).click();
    await expect(shown).toBeHidden();
    // the page's snippets keep the secret just made
    await expect(endpoint).toHaveText(`${base}/t/${secret}/`);

    const withToken = await request.get(`${base}/t/${secret}/appliance`);
    expect(withToken.status(), await withToken.text()).toBe(200);
    expect(((await withToken.json()) as { appliances: { name: string }[] }).appliances.map((a) => a.name)).toContain(
      appName,
    );
    const withoutToken = await request.get(`${base}/appliance`);
    expect(withoutToken.status()).toBe(401);
    expect(withoutToken.headers()["www-authenticate"]).toMatch(/^Basic realm=/);

    // revoked in the UI: the secret no longer opens the catalog
    const tokens = page.getByRole("table", { name: "Read tokens" });
    await expect(tokens.getByRole("row", { name: new RegExp(tokenName) })).toBeVisible();
    await page.getByRole("button", { name: `Revoke ${tokenName}` }).click();
    await page
      .getByRole("dialog", { name: `Revoke read token ${tokenName}?` })
      .getByRole("button", { name: "Revoke" })
      .click();
    await expect(page.getByText(`Read token ${tokenName} revoked`)).toBeVisible();
    await expect(tokens.getByRole("row", { name: new RegExp(tokenName) })).toBeHidden();
    await expect(endpoint).toHaveText(`${base}/t/<TOKEN>/`);
    expect((await request.get(`${base}/t/${secret}/appliance`)).status()).toBe(401);
  });
});
