import { createHash, randomBytes } from "node:crypto";

export const sha256 = (value: string | Buffer) => createHash("sha256").update(value).digest("hex");

/** A high-entropy random string for session cookies and token secrets. */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString("base64url");
