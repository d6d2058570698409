import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig, setConfigForTests } from "@/lib/config";
import {
  decryptSecret,
  encryptSecret,
  ensureSecretKey,
  resetSecretKeyCacheForTests,
  secretKeyFile,
} from "./secret-key";

const dirs: string[] = [];
function useConfig(env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bazaar-key-"));
  dirs.push(dir);
  setConfigForTests(parseConfig({ BAZAAR_DATA_DIR: dir, ...env }));
  resetSecretKeyCacheForTests();
  return dir;
}

beforeEach(() => {
  useConfig({ BAZAAR_SECRET_KEY: "k".repeat(40) });
});

afterAll(() => {
  resetSecretKeyCacheForTests();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("secret encryption", () => {
  it("round-trips, including Unicode and empty strings", () => {
    for (const plain of ["s3cr3t", "päss wörd ✓", ""]) expect(decryptSecret(encryptSecret(plain))).toBe(plain);
  });

  it("produces a different ciphertext each time", () => {
    const a = encryptSecret("same");
    const b = encryptSecret("same");
    expect(a).not.toBe(b);
    expect(a.startsWith("v1:")).toBe(true);
    expect(a).not.toContain("same");
  });

  it("detects tampering with the data, the tag or the iv", () => {
    const sealed = encryptSecret("do not touch");
    const [v, iv, tag, data] = sealed.split(":");
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    expect(() => decryptSecret([v, iv, tag, flip(data)].join(":"))).toThrow();
    expect(() => decryptSecret([v, iv, flip(tag), data].join(":"))).toThrow();
    expect(() => decryptSecret([v, flip(iv), tag, data].join(":"))).toThrow();
  });

  it("refuses unknown formats", () => {
    expect(() => decryptSecret("plain text")).toThrow("Unknown secret format");
    expect(() => decryptSecret("v2:a:b:c")).toThrow("Unknown secret format");
  });

  it("another key cannot decrypt", () => {
    const sealed = encryptSecret("mine");
    useConfig({ BAZAAR_SECRET_KEY: "z".repeat(40) });
    expect(() => decryptSecret(sealed)).toThrow();
  });
});

describe("the key file", () => {
  it("is created with mode 0600 when no BAZAAR_SECRET_KEY is set, and reused", () => {
    const dir = useConfig();
    expect(existsSync(secretKeyFile())).toBe(false);
    const sealed = encryptSecret("kept");
    expect(secretKeyFile()).toBe(path.join(dir, "secret.key"));
    expect(statSync(secretKeyFile()).mode & 0o777).toBe(0o600);
    const material = readFileSync(secretKeyFile(), "utf8");
    resetSecretKeyCacheForTests();
    expect(decryptSecret(sealed)).toBe("kept");
    expect(readFileSync(secretKeyFile(), "utf8")).toBe(material);
    expect(ensureSecretKey()).toHaveLength(32);
  });
});
