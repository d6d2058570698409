import { ADMIN, expect, signInThroughUi, test, unique } from "./fixtures";

/**
 * Forms check their fields with the API's own rules before sending anything, and say what is
 * wrong in the API's words: a sentence that names the field, next to it.
 */
test("a form tells a field's error in the API's sentence before any request", async ({ page, admin }) => {
  const posted: string[] = [];
  page.on("request", (req) => {
    if (req.method() === "POST" && new URL(req.url()).pathname === "/api/v1/groups") posted.push(req.url());
  });
  await signInThroughUi(page, ADMIN);
  await page.getByRole("navigation").getByRole("link", { name: "Groups" }).click();
  await page.getByRole("button", { name: "Create group" }).click();
  const dialog = page.getByRole("dialog", { name: "Create group" });
  await dialog.getByLabel("Name").fill("web/team");
  await dialog.getByRole("button", { name: "Create" }).click();

  const sentence = "Name must not contain & | : \\ \" ; / ' # { } $ < > or control characters";
  await expect(dialog.getByText(sentence)).toBeVisible();
  expect(posted).toEqual([]);

  // the API refuses the same name with the same sentence
  const res = await admin.post("/api/v1/groups", { data: { name: "web/team" } });
  expect(res.status()).toBe(400);
  expect((await res.json()).invalid_params).toEqual([{ name: "name", reason: sentence }]);

  // once the name is fixed, the group is created
  const name = unique("web-team");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: "Groups" }).getByRole("link", { name })).toBeVisible();
  expect(posted).toHaveLength(1);
});
