import { createHash } from "node:crypto";

export const sha256Hex = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
