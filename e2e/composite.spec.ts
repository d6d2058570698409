import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { startS3, S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY, type TestS3 } from "../tests/support/s3";
import { apiAs, createUser, expect, signInThroughUi, test, unique } from "./fixtures";

/**
 * The composite journey: a service of two roles whose VM templates have three disks in total
 * is published to an S3 marketplace from its page, shows up in the catalog with its tree of
 * parts, and is imported into another datastore, which yields 3 images, 2 VM templates and 1
 * service template equal to the originals.
 */
test.describe("composite apps", () => {
  let s3: TestS3;
  let work: string;
  let files: Server;
  let filesUrl: string;

  test.beforeAll(async () => {
    s3 = await startS3();
    work = mkdtempSync(path.join(tmpdir(), "bazaar-e2e-composite-"));
    files = createServer((req, res) => {
      try {
        res.end(readFileSync(path.join(work, path.basename(req.url ?? ""))));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    await s3?.stop();
    await new Promise((resolve) => files?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  test("publish a two-role service to S3, see its parts in the catalog, import it elsewhere", async ({
    page,
    admin,
    baseURL,
  }) => {
    test.setTimeout(240_000);

    // three small qcow2 disks with different data
    const disks = ["os", "data", "web"].map((name) => {
      const raw = path.join(work, `${name}.raw`);
      writeFileSync(raw, Buffer.concat([randomBytes(1024 * 1024), Buffer.alloc(1024 * 1024)]));
      execFileSync("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", raw, path.join(work, `${name}.qcow2`)]);
      return name;
    });

    // the admin's part, through the API: the publish right, two datastores, an S3 marketplace
    const groups = (await (await admin.get("/api/v1/groups?q=users")).json()).items;
    const users = groups.find((g: { name: string }) => g.name === "users");
    const rights = [...new Set([...users.createRights, "MARKETPLACE_APP"])];
    expect((await admin.patch(`/api/v1/groups/${users.id}`, { data: { createRights: rights } })).status()).toBe(200);
    const sourceDs = await (await admin.post("/api/v1/datastores", { data: { name: unique("source") } })).json();
    const targetDs = await (
      await admin.post("/api/v1/datastores", { data: { name: unique("target"), requiredFormat: "raw" } })
    ).json();
    for (const ds of [sourceDs, targetDs])
      expect((await admin.post(`/api/v1/datastores/${ds.id}/chmod`, { data: { permissions: "644" } })).status()).toBe(
        204,
      );
    const marketName = unique("s3-services");
    const market = await admin.post("/api/v1/marketplaces", {
      data: {
        name: marketName,
        driver: "s3",
        config: {
          accessKeyId: S3RVER_ACCESS_KEY_ID,
          region: "us-east-1",
          bucket: "e2e-services",
          endpoint: s3.endpoint,
          forcePathStyle: true,
          partSizeMb: 5,
        },
        secrets: { secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
      },
    });
    expect(market.status(), await market.text()).toBe(201);

    // a user's images, VM templates and service template, through the API
    const password = "composite-password-1";
    const user = await createUser(admin, { username: unique("carol"), password });
    const api: APIRequestContext = await apiAs(baseURL!, { username: user.username, password });
    try {
      const images: Record<string, { id: number; sha256: string }> = {};
      for (const name of disks) {
        const res = await api.post("/api/v1/images", {
          data: { source: "url", url: `${filesUrl}/${name}.qcow2`, name: unique(name), datastoreId: sourceDs.id },
        });
        expect(res.status(), await res.text()).toBe(201);
        const id = (await res.json()).id;
        await expect
          .poll(async () => (await (await api.get(`/api/v1/images/${id}`)).json()).state, { timeout: 60_000 })
          .toBe("READY");
        images[name] = await (await api.get(`/api/v1/images/${id}`)).json();
      }
      const vmTemplate = async (name: string, text: string) => {
        const res = await api.post("/api/v1/vm-templates", { data: { name, template: text } });
        expect(res.status(), await res.text()).toBe(201);
        return res.json();
      };
      const dbVm = await vmTemplate(
        unique("db-vm"),
        `CPU = "1"\nVCPU = "2"\nMEMORY = "1024"\nDISK = [ IMAGE_ID = "${images.os.id}", DEV_PREFIX = "vd" ]\n` +
          `DISK = [ IMAGE_ID = "${images.data.id}" ]\nNIC = [ NETWORK = "private" ]\nCONTEXT = [ NETWORK = "YES" ]\n`,
      );
      const webVm = await vmTemplate(
        unique("web-vm"),
        `CPU = "0.5"\nMEMORY = "512"\nDISK = [ IMAGE_ID = "${images.web.id}" ]\nGRAPHICS = [ TYPE = "VNC", LISTEN = "0.0.0.0" ]\n`,
      );
      const serviceName = unique("shop");
      const service = await api.post("/api/v1/service-templates", {
        data: {
          name: serviceName,
          description: "two tiers",
          deployment: "straight",
          roles: [
            { name: "db", cardinality: 1, vm_template: dbVm.id },
            { name: "web", cardinality: 2, vm_template: webVm.id, parents: ["db"] },
          ],
        },
      });
      expect(service.status(), await service.text()).toBe(201);
      const serviceId = (await service.json()).id;

      // publishes the service from its page in the browser
      await signInThroughUi(page, { username: user.username, password });
      await page.goto(`/service-templates/${serviceId}`);
      await page.getByRole("button", { name: "Publish to marketplace" }).click();
      const dialog = page.getByRole("dialog");
      const marketSelect = dialog.getByLabel("Marketplace");
      await marketSelect.selectOption(
        (await marketSelect.locator("option", { hasText: marketName }).getAttribute("value"))!,
      );
      const appName = unique("shop-app");
      await dialog.getByLabel("App name").fill(appName);
      await dialog.getByLabel("Version").fill("3.0");
      await expect(dialog.getByRole("radiogroup", { name: "Role db" })).toBeVisible();
      await expect(dialog.getByRole("radiogroup", { name: "Role web" })).toBeVisible();
      await dialog.getByRole("button", { name: "Publish", exact: true }).click();
      await expect(page).toHaveURL(/\/apps\/\d+$/);
      const appId = Number(page.url().split("/").pop());
      await expect(page.getByRole("heading").getByText("Ready")).toBeVisible({ timeout: 90_000 });

      // the catalog shows it with its parts; its page shows the tree, every part READY
      await page.getByRole("navigation").getByRole("link", { name: "Apps" }).click();
      // the catalog opens as cards; the table is one click away
      await page.getByRole("radiogroup", { name: "View" }).getByText("Table").click();
      const table = page.getByRole("table", { name: "Apps" });
      await expect(table.getByRole("link", { name: appName, exact: true })).toBeVisible();
      await table.getByRole("link", { name: appName, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/apps/${appId}$`));
      await page.getByRole("tab", { name: "Contents" }).click();
      const tree = page.getByRole("list", { name: `Contents of ${appName}` });
      await expect(tree.getByRole("link")).toHaveCount(5); // 2 VM template apps, 3 image apps
      const app = await (await api.get(`/api/v1/apps/${appId}`)).json();
      expect(app).toMatchObject({ type: "SERVICE_TEMPLATE", state: "READY", childCount: 2 });
      expect(app.children.map((c: { slot: string }) => c.slot)).toEqual(["db", "web"]);
      const parts = app.children.flatMap((c: { app: { children: { app: unknown }[] } }) => [
        c.app,
        ...c.app.children.map((g) => g.app),
      ]);
      expect(parts.map((p: { state: string }) => p.state)).toEqual(Array(5).fill("READY"));
      for (const part of parts) await expect(tree.getByRole("link", { name: part.name, exact: true })).toBeVisible();

      // imports it into the raw datastore, after a preview of what will be created
      await page.getByRole("button", { name: "Import", exact: true }).click();
      const importDialog = page.getByRole("dialog");
      await importDialog.getByLabel("Datastore").selectOption(String(targetDs.id));
      const importedName = unique("shop-copy");
      await importDialog.getByLabel("Name", { exact: true }).fill(importedName);
      const preview = importDialog.getByRole("region", { name: "Will be created" });
      await expect(preview).toContainText(`${importedName}-db-disk0`);
      await expect(preview).toContainText(`${importedName}-db-disk1`);
      await expect(preview).toContainText(`${importedName}-web-disk0`);
      await expect(preview).toContainText(`${importedName}-web`);
      await importDialog.getByRole("button", { name: "Import", exact: true }).click();
      await expect(page).toHaveURL(/\/jobs/);

      // 3 READY images, 2 VM templates pointing to them, 1 service template pointing to those
      const list = async (what: string) =>
        (await (await api.get(`/api/v1/${what}?q=${importedName}&perPage=50`)).json()).items;
      await expect.poll(async () => (await list("service-templates")).length, { timeout: 90_000 }).toBe(1);
      const newImages = await list("images");
      expect(newImages.map((i: { name: string }) => i.name).sort()).toEqual(
        [`${importedName}-db-disk0`, `${importedName}-db-disk1`, `${importedName}-web-disk0`].sort(),
      );
      for (const img of newImages) expect(img).toMatchObject({ state: "READY", format: "raw" });
      const byName = (name: string) => newImages.find((i: { name: string }) => i.name === name);

      const newVms = await list("vm-templates");
      expect(newVms).toHaveLength(2);
      const newDb = await (
        await api.get(`/api/v1/vm-templates/${newVms.find((v: { name: string }) => v.name.endsWith("-db")).id}`)
      ).json();
      const newWeb = await (
        await api.get(`/api/v1/vm-templates/${newVms.find((v: { name: string }) => v.name.endsWith("-web")).id}`)
      ).json();
      expect(newDb.template).toBe(
        `CPU = "1"\nVCPU = "2"\nMEMORY = "1024"\n` +
          `DISK = [\n  IMAGE_ID = "${byName(`${importedName}-db-disk0`).id}",\n  DEV_PREFIX = "vd" ]\n` +
          `DISK = [\n  IMAGE_ID = "${byName(`${importedName}-db-disk1`).id}" ]\n` +
          `NIC = [\n  NETWORK_MODE = "auto" ]\nCONTEXT = [\n  NETWORK = "YES" ]\n`,
      );
      expect(newWeb.template).toBe(
        `CPU = "0.5"\nMEMORY = "512"\nDISK = [\n  IMAGE_ID = "${byName(`${importedName}-web-disk0`).id}" ]\n` +
          `GRAPHICS = [\n  TYPE = "VNC",\n  LISTEN = "0.0.0.0" ]\n`,
      );
      const [newService] = await list("service-templates");
      const serviceDto = await (await api.get(`/api/v1/service-templates/${newService.id}`)).json();
      expect(serviceDto).toMatchObject({ name: importedName, deployment: "straight" });
      expect(serviceDto.body.roles).toEqual([
        { name: "db", cardinality: 1, vm_template: newDb.id },
        { name: "web", cardinality: 2, vm_template: newWeb.id, parents: ["db"] },
      ]);

      // the contents equal the originals (converted from qcow2 to raw on the way)
      for (const [name, original] of [
        [`${importedName}-db-disk0`, "os"],
        [`${importedName}-db-disk1`, "data"],
        [`${importedName}-web-disk0`, "web"],
      ]) {
        const download = await api.get(`/api/v1/images/${byName(name).id}/download`);
        expect(download.status()).toBe(200);
        const file = path.join(work, `${name}.raw`);
        writeFileSync(file, await download.body());
        execFileSync("qemu-img", [
          "compare",
          "-q",
          "-f",
          "qcow2",
          "-F",
          "raw",
          path.join(work, `${original}.qcow2`),
          file,
        ]);
      }
    } finally {
      await api.dispose();
    }
  });
});
