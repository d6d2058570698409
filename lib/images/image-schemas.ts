import { z } from "zod";
import { dbId, objectName } from "@/lib/api/schemas";

/** What the API takes to create and edit an image. Browser-safe: the console's forms validate with it. */

export const IMAGE_TYPES = ["OS", "CDROM", "DATABLOCK", "KERNEL", "RAMDISK", "CONTEXT"] as const;

/** What an image's edit changes. */
export const imageFields = z.object({
  name: objectName,
  type: z.enum(IMAGE_TYPES),
  description: z.string().trim().max(4096, "must be at most 4096 characters"),
});

const md5 = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([0-9a-f]{32})?$/, "must be 32 hexadecimal digits");
const sha256 = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([0-9a-f]{64})?$/, "must be 64 hexadecimal digits");

const common = {
  name: objectName,
  datastoreId: dbId,
  type: imageFields.shape.type.default("OS"),
  description: imageFields.shape.description.default(""),
  expectedMd5: md5.default(""),
  expectedSha256: sha256.default(""),
};

/** An image a job downloads from a URL. */
export const urlImageBody = z.object({
  source: z.literal("url"),
  url: z
    .string()
    .trim()
    .min(1, "is required")
    .max(4096)
    .refine((u) => u === "" || /^https?:\/\/\S+$/i.test(u), "must be an http:// or https:// address"),
  ...common,
});

/** An image whose bytes the browser then uploads (tus). */
export const uploadImageBody = z.object({
  source: z.literal("upload"),
  size: z.number().int().min(1, "must be at least 1 byte").max(Number.MAX_SAFE_INTEGER),
  filename: z.string().trim().max(255).default(""),
  ...common,
});

export const createImageBody = z.discriminatedUnion("source", [urlImageBody, uploadImageBody]);
