/** What tests/setup/db.ts configures every test database with. */
export const ADMIN_USERNAME = "admin";
export const ADMIN_PASSWORD = "admin-password-1";
export const LOGIN_MAX_FAILURES = 5;
