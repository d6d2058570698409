import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

const PORT = 3124;

/**
 * `npm run screenshots`: the README's screenshots, taken from a production build (`next build`
 * first) on a fresh database that docs/screenshots.spec.ts fills with a believable catalog.
 * Not part of `npm test`: it rewrites docs/screenshots/*.png. The browser and server are the
 * end-to-end tests' (playwright.config.ts), on a port of its own and a wider window.
 */
export default defineConfig({
  ...base,
  testDir: "docs",
  testMatch: "screenshots.spec.ts",
  timeout: 300_000,
  expect: { timeout: 20_000 },
  use: { ...base.use, baseURL: `http://localhost:${PORT}`, viewport: { width: 1440, height: 900 } },
  webServer: {
    command: `node e2e/server.mjs ${PORT}`,
    url: `http://localhost:${PORT}/api/health`,
    timeout: 120_000,
    // the public catalogs a new installation registers are on the Internet: the spec makes its own
    env: { BAZAAR_PUBLIC_MARKETPLACES: "0" },
    reuseExistingServer: false,
    stdout: "pipe",
  },
});
