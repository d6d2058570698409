import {
  test as base,
  expect,
  request as playwrightRequest,
  type APIRequestContext,
  type Page,
} from "@playwright/test";

export const ADMIN = { username: "admin", password: "e2e-admin-password" };

/** An API client signed in as `who`; writes carry our Origin, as the browser's would. */
export async function apiAs(baseURL: string, who: { username: string; password: string }): Promise<APIRequestContext> {
  // no keep-alive: a test may pause longer than the server keeps an idle connection
  const ctx = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { origin: baseURL, connection: "close" },
  });
  const res = await ctx.post("/api/v1/session", { data: who });
  expect(res.status(), await res.text()).toBe(200);
  return ctx;
}

/** A unique name per test run, so tests never depend on each other's rows. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

export async function createUser(
  admin: APIRequestContext,
  input: { username: string; password: string; groupIds?: number[] },
): Promise<{ id: number; username: string }> {
  const res = await admin.post("/api/v1/users", { data: input });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

export async function signInThroughUi(page: Page, who: { username: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(who.username);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "User menu" })).toBeVisible();
}

export const test = base.extend<{ admin: APIRequestContext }>({
  admin: async ({ baseURL }, use) => {
    const ctx = await apiAs(baseURL!, ADMIN);
    await use(ctx);
    await ctx.dispose();
  },
});

export { expect };
