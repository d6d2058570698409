import { ADMIN, apiAs, createUser, expect, signInThroughUi, test, unique } from "./fixtures";

test("admin signs in and out through the browser", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await signInThroughUi(page, ADMIN);
  await expect(page.getByLabel("Local zone")).toHaveText("e2e-zone");
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/users");
  await expect(page).toHaveURL(/\/login/);
});

test("a wrong password is refused with a readable message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert", { name: "Sign-in failed" })).toContainText("Wrong username or password");
  await expect(page).toHaveURL(/\/login/);
});

test("a non-admin does not see admin pages", async ({ page, admin, baseURL }) => {
  const who = { username: unique("user"), password: "user-password-1" };
  await createUser(admin, who);
  await signInThroughUi(page, who);
  const nav = page.getByRole("navigation");
  await expect(nav.getByRole("link", { name: "Groups" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page.getByText("Only administrators can see this page")).toBeVisible();
  // and the server refuses the API too
  const api = await apiAs(baseURL!, who);
  expect((await api.get("/api/v1/users")).status()).toBe(403);
  expect(
    (await api.post("/api/v1/users", { data: { username: "x" + Date.now(), password: "abcdefgh1" } })).status(),
  ).toBe(403);
  await api.dispose();
});

test("the server refuses TRACE and does not believe a client's forwarding headers", async ({ request, admin }) => {
  const trace = await request.fetch("/api/v1/session", { method: "TRACE" });
  expect(trace.status()).toBe(405);
  expect(trace.headers()["content-type"]).toBe("application/problem+json");
  expect(trace.headers()["allow"]).toContain("GET");
  expect((await trace.json()).code).toBe("METHOD_NOT_ALLOWED");

  const nobody = unique("nobody");
  const failed = await request.post("/api/v1/session", {
    data: { username: nobody, password: "wrong-password" },
    headers: { "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.8" },
  });
  expect(failed.status()).toBe(401);
  const audit = await admin.get(`/api/v1/audit?q=${nobody}`);
  const events = (await audit.json()).items as { action: string; details: { ip?: string } }[];
  const event = events.find((e) => e.action === "session.sign-in-failed");
  // the address of the connection (loopback here), not what the client claimed
  expect(event?.details.ip).toMatch(/^(127\.0\.0\.1|::1)$/);
});
