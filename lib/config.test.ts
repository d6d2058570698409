import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe("parseConfig", () => {
  it("has working defaults: SQLite in the data directory", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      env: "development",
      port: 3000,
      databaseProvider: "sqlite",
      zoneName: "default",
      adminUsername: "admin",
      sessionHours: 12,
      defaultUmask: "177",
      loginMaxFailures: 5,
      loginLockMinutes: 15,
      logRequests: false,
    });
    expect(c.dataDir).toBe(path.resolve("./data"));
    expect(c.sqlitePath).toBe(path.join(c.dataDir, "bazaar.db"));
    expect(c.databaseUrl).toBe(`file:${c.sqlitePath}`);
  });

  it("recognises PostgreSQL URLs", () => {
    const c = parseConfig({ DATABASE_URL: "postgresql://u@db:5432/bazaar" });
    expect(c.databaseProvider).toBe("postgresql");
    expect(c.sqlitePath).toBeNull();
    expect(parseConfig({ DATABASE_URL: "postgres://u@db/bazaar" }).databaseProvider).toBe("postgresql");
  });

  it("treats empty strings as unset and trims the public URL's slash", () => {
    expect(parseConfig({ PORT: "", BAZAAR_ZONE: "" })).toMatchObject({ port: 3000, zoneName: "default" });
    expect(parseConfig({ BAZAAR_PUBLIC_URL: "https://bazaar.example.org/" }).publicUrl).toBe(
      "https://bazaar.example.org",
    );
  });

  it.each([
    ["PORT", "http"],
    ["PORT", "70000"],
    ["PORT", "0"],
    ["BAZAAR_ZONE", "bad zone!"],
    ["BAZAAR_ZONE", "-starts-with-dash"],
    ["DATABASE_URL", "mysql://root@localhost/bazaar"],
    ["BAZAAR_ADMIN_PASSWORD", "short"],
    ["BAZAAR_SECRET_KEY", "too-short"],
    ["BAZAAR_DEFAULT_UMASK", "0777"],
    ["BAZAAR_PUBLIC_URL", "not a url"],
  ])("a bad %s (%j) throws a ConfigError naming it", (variable, value) => {
    const err = configError({ [variable]: value });
    expect(err.issues.map((i) => i.variable)).toEqual([variable]);
    expect(err.message).toContain(`${variable}: `);
    expect(err.message.startsWith("Invalid configuration:")).toBe(true);
  });

  it("validates the upload expiry and the job retention", () => {
    expect(parseConfig({})).toMatchObject({ uploadExpireHours: 24, jobRetentionDays: 14, jobFailedRetentionDays: 90 });
    expect(
      parseConfig({
        BAZAAR_UPLOAD_EXPIRE_HOURS: "2",
        BAZAAR_JOB_RETENTION_DAYS: "1",
        BAZAAR_JOB_FAILED_RETENTION_DAYS: "30",
      }),
    ).toMatchObject({ uploadExpireHours: 2, jobRetentionDays: 1, jobFailedRetentionDays: 30 });
    for (const [variable, value] of [
      ["BAZAAR_UPLOAD_EXPIRE_HOURS", "0"],
      ["BAZAAR_UPLOAD_EXPIRE_HOURS", "1.5"],
      ["BAZAAR_JOB_RETENTION_DAYS", "0"],
      ["BAZAAR_JOB_FAILED_RETENTION_DAYS", "forever"],
    ]) {
      expect(configError({ [variable]: value }).issues.map((i) => i.variable)).toEqual([variable]);
    }
  });

  it("refuses CIDR lists that only look right", () => {
    for (const variable of ["BAZAAR_URL_ALLOW", "BAZAAR_URL_DENY", "BAZAAR_TRUSTED_PROXIES"]) {
      for (const value of ["10.0.0.0/33", "999.1.1.1/8", "fd00::/129"])
        expect(configError({ [variable]: value }).issues.map((i) => i.variable)).toEqual([variable]);
      expect(parseConfig({ [variable]: "10.0.0.0/8, fd00::/8" })).toBeTruthy();
    }
  });

  it("reports every bad variable at once", () => {
    const err = configError({ PORT: "x", BAZAAR_ZONE: "a b", DATABASE_URL: "ftp://x" });
    expect(err.issues.map((i) => i.variable).sort()).toEqual(["BAZAAR_ZONE", "DATABASE_URL", "PORT"]);
    expect(err.message).toMatch(/DATABASE_URL: must start with file: \(SQLite\) or postgresql:\/\//);
  });
});
