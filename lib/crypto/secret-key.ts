import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { getConfig } from "@/lib/config";

/**
 * The key that encrypts driver secrets at rest: BAZAAR_SECRET_KEY, or a random key kept in
 * `<data dir>/secret.key` (created with mode 0600 on first start).
 */
let cached: Buffer | undefined;

export function secretKeyFile(): string {
  return path.join(getConfig().dataDir, "secret.key");
}

export function ensureSecretKey(): Buffer {
  if (cached) return cached;
  const { secretKey } = getConfig();
  let material: string;
  if (secretKey) {
    material = secretKey;
  } else {
    const file = secretKeyFile();
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    }
    material = readFileSync(file, "utf8").trim();
  }
  cached = Buffer.from(hkdfSync("sha256", material, "bazaar", "secrets-v1", 32));
  return cached;
}

/** AES-256-GCM; the output names its version so the scheme can change later. */
export function encryptSecret(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ensureSecretKey(), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(":");
}

export function decryptSecret(sealed: string): string {
  const [version, iv, tag, data] = sealed.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("Unknown secret format");
  const decipher = createDecipheriv("aes-256-gcm", ensureSecretKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

export function resetSecretKeyCacheForTests(): void {
  cached = undefined;
}
