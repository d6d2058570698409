import type { APIRequestContext } from "@playwright/test";
import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

/** An image for the template's disk: created for an upload that never comes (INIT is enough here). */
async function createImage(admin: APIRequestContext) {
  const ds = await admin.post("/api/v1/datastores", { data: { name: unique("tpl-store") } });
  expect(ds.status(), await ds.text()).toBe(201);
  const img = await admin.post("/api/v1/images", {
    data: { source: "upload", name: unique("tpl-disk"), datastoreId: (await ds.json()).id, size: 1024, type: "OS" },
  });
  expect(img.status(), await img.text()).toBe(201);
  return (await img.json()) as { id: number; name: string };
}

async function createVmTemplate(admin: APIRequestContext, name: string) {
  const res = await admin.post("/api/v1/vm-templates", { data: { name, template: "CPU = 1\nMEMORY = 256" } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: number; name: string };
}

test("VM and service templates: create with a disk, edit, import with an error, roles with a parent", async ({
  page,
  admin,
}) => {
  const image = await createImage(admin);
  const workerTemplate = await createVmTemplate(admin, unique("tpl-worker"));
  await signInThroughUi(page, ADMIN);

  // a VM template through the form, with one image disk
  const vmName = unique("web");
  await page.getByRole("navigation").getByRole("link", { name: "VM templates" }).click();
  await page.getByRole("button", { name: "Create VM template" }).click();
  let dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(vmName);
  await dialog.getByLabel("CPU", { exact: true }).fill("2");
  await dialog.getByLabel("Memory (MB)").fill("1024");
  await dialog.getByRole("button", { name: "Add image disk" }).click();
  await dialog.getByLabel("Disk 0 image").selectOption(String(image.id));
  await dialog.getByRole("button", { name: "Add NIC" }).click();
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/vm-templates\/\d+$/);
  const vmId = Number(page.url().split("/").pop());
  await expect(page.getByRole("heading", { name: vmName })).toBeVisible();
  await expect(page.getByRole("table", { name: "Disks" }).getByRole("link", { name: image.name })).toBeVisible();

  // it is in the list
  await page.getByRole("navigation").getByRole("link", { name: "VM templates" }).click();
  await expect(page.getByRole("link", { name: vmName, exact: true })).toBeVisible();

  // edit its memory
  await page.getByRole("link", { name: vmName, exact: true }).click();
  await page.getByRole("button", { name: "Edit" }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Memory (MB)").fill("2048");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: "VM template information" })).toContainText("2,048 MB");
  await page.getByRole("tab", { name: "Template" }).click();
  await expect(page.getByLabel("Template text")).toContainText('MEMORY = "2048"');

  // importing text with a syntax error says where
  await page.getByRole("navigation").getByRole("link", { name: "VM templates" }).click();
  await page.getByRole("button", { name: "Import" }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(unique("broken"));
  await dialog.getByLabel("Template text").fill('CPU = "1"\nMEMORY = "512"\nOS = [ ARCH x86_64 ]\n');
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await expect(dialog.getByText(/line 3, column 13/)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // a service template with two roles, the second waiting for the first
  const serviceName = unique("svc");
  await page.getByRole("navigation").getByRole("link", { name: "Service templates" }).click();
  await page.getByRole("button", { name: "Create service template" }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill(serviceName);
  await dialog.getByLabel("Role 1 name").fill("front");
  await dialog.getByLabel("Role 1 VM template").selectOption(String(vmId));
  await dialog.getByRole("button", { name: "Add role" }).click();
  await dialog.getByLabel("Role 2 name").fill("worker");
  await dialog.getByLabel("Role 2 VM template").selectOption(String(workerTemplate.id));
  await dialog.getByLabel("Role 2 cardinality").fill("3");
  await dialog.getByLabel("Role 2 parents").click();
  await page.getByRole("option", { name: "front" }).click();
  await dialog.getByLabel("Name", { exact: true }).click();
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/service-templates\/\d+$/);
  const roles = page.getByRole("table", { name: "Roles" });
  await expect(roles.getByRole("row", { name: /worker/ })).toContainText("front");
  await expect(roles.getByRole("link", { name: workerTemplate.name })).toBeVisible();

  // and delete it
  await page.getByRole("toolbar", { name: "Actions" }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/service-templates$/);
  await expect(page.getByRole("link", { name: serviceName, exact: true })).toHaveCount(0);
});
