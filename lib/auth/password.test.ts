import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("same-password"), hashPassword("same-password")]);
    expect(a).not.toBe(b);
  });

  it("normalises Unicode so that the same text typed differently matches", async () => {
    const composed = "caf\u00e9-password";
    const decomposed = "cafe\u0301-password";
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it.each([
    ["an empty string", ""],
    ["another scheme", "bcrypt$10$abc"],
    ["too few parts", "scrypt$15$8$1$c2FsdA"],
    ["too many parts", "scrypt$15$8$1$c2FsdA$aGFzaA$extra"],
  ])("a malformed stored hash (%s) never verifies", async (_, stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
  });

  it("a stored hash with a different length never verifies", async () => {
    const hash = await hashPassword("password-1");
    const truncated = hash.slice(0, -4);
    expect(await verifyPassword("password-1", truncated)).toBe(false);
  });

  it("generates random 24-character passwords", () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
