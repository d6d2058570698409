import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

test("admin manages users and groups", async ({ page }) => {
  const group = unique("team");
  const username = unique("alice");
  await signInThroughUi(page, ADMIN);

  // a group with the right to create datastores
  await page.getByRole("navigation").getByRole("link", { name: "Groups" }).click();
  await page.getByRole("button", { name: "Create group" }).click();
  const groupDialog = page.getByRole("dialog");
  await groupDialog.getByLabel("Name").fill(group);
  await groupDialog.getByLabel("Description").fill("made by the e2e test");
  await groupDialog.getByRole("checkbox", { name: "Datastores" }).check();
  await groupDialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("table", { name: "Groups" }).getByRole("link", { name: group })).toBeVisible();

  // a user in that group; a server-side field error is shown next to its field first
  await page.getByRole("navigation").getByRole("link", { name: "Users" }).click();
  await page.getByRole("button", { name: "Create user" }).click();
  const userDialog = page.getByRole("dialog", { name: "Create user" });
  await userDialog.getByLabel("Username").fill("Not Valid!");
  await userDialog.getByLabel("Password").fill("alice-password-1");
  await userDialog.getByRole("button", { name: "Create" }).click();
  await expect(userDialog.getByText(/lowercase letters/)).toBeVisible();
  await userDialog.getByLabel("Username").fill(username);
  await userDialog.getByRole("combobox", { name: "Groups" }).click();
  await page.getByRole("option", { name: group }).click();
  await userDialog.getByLabel("Display name").click(); // closes the dropdown
  await userDialog.getByRole("button", { name: "Create" }).click();
  await expect(userDialog).toBeHidden();

  const users = page.getByRole("table", { name: "Users" });
  await page.getByRole("textbox", { name: "Search" }).fill(username);
  await expect(page).toHaveURL(new RegExp(`q=${username}`));
  await expect(users.getByRole("link", { name: username })).toBeVisible();

  // disable through bulk actions, then delete from the detail page
  await users.getByRole("checkbox", { name: `Select ${username}` }).check();
  await page.getByRole("region", { name: "Bulk actions" }).getByRole("button", { name: "Disable" }).click();
  await expect(users.getByRole("row", { name: new RegExp(username) })).toContainText("Disabled");

  await users.getByRole("link", { name: username }).click();
  await page.getByRole("tab", { name: "Groups" }).click();
  await expect(page.getByRole("combobox", { name: "Groups" })).toBeVisible();
  await page.getByRole("toolbar", { name: "Actions" }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/users(\?|$)/);

  // the group is empty again and can be deleted
  await page.getByRole("navigation").getByRole("link", { name: "Groups" }).click();
  await page.getByRole("button", { name: `Delete group ${group}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("table", { name: "Groups" }).getByRole("link", { name: group })).toHaveCount(0);
});

test("a user creates an API token, sees it once, uses it, and revokes it", async ({ page, baseURL, playwright }) => {
  await signInThroughUi(page, ADMIN);
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Profile" }).click();
  const name = unique("ci");
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Expires in (days)").fill("7");
  await dialog.getByRole("button", { name: "Create" }).click();
  const shown = page.getByRole("dialog", { name: `Token ${name} created` });
  await expect(shown.getByText("This token will not be shown again")).toBeVisible();
  const secret = ((await shown.getByLabel("Token secret").textContent()) ?? "").trim();
  expect(secret).toMatch(/^bzr_/);
  await shown.getByRole("button", { name: "Done" }).click();

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  expect((await api.get("/api/v1/session")).status()).toBe(200);

  const tokens = page.getByRole("table", { name: "API tokens" });
  await expect(tokens.getByRole("row", { name: new RegExp(name) })).toBeVisible();
  await expect(tokens).not.toContainText(secret);
  await tokens.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
  await expect(tokens.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
  expect((await api.get("/api/v1/session")).status()).toBe(401);
  await api.dispose();
});
