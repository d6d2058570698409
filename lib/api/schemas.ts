import { z } from "zod";
import { RESOURCE_TYPES } from "@/lib/permissions/resources";

/** Schemas shared by every area: ids, paging, sorting, names. */
export const idParams = z.object({ id: z.coerce.number().int().positive() });

export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;

export function listQuery<S extends readonly [string, ...string[]]>(sortFields: S) {
  return z.object({
    page: z.coerce.number().int().min(1).default(1),
    perPage: z.coerce.number().int().min(1).max(200).default(25),
    sort: z.enum(sortFields).default(sortFields[0]),
    order: z.enum(["asc", "desc"]).default("asc"),
    q: z.string().trim().max(200).optional(),
  });
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    perPage: z.number().int(),
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

/** Object names as OpenNebula allows them: no control characters or & | : \ " ; / ' # { } $ < >. */
export const objectName = z
  .string()
  .trim()
  .min(1, "is required")
  .max(128, "must be at most 128 characters")
  .regex(/^[^&|:\\";/'#{}$<>\p{Cc}]+$/u, "must not contain & | : \\ \" ; / ' # { } $ < > or control characters");

export const username = z
  .string()
  .trim()
  .min(2, "must be at least 2 characters")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z][a-z0-9._-]*$/, "lowercase letters, digits, '.', '_' or '-', starting with a letter");

export const password = z.string().min(8, "must be at least 8 characters").max(256, "must be at most 256 characters");

export const umask = z.string().regex(/^[0-7]{3}$/, "must be three octal digits, e.g. 177");

export const resourceType = z.enum(RESOURCE_TYPES);

export const ref = z.object({ id: z.number().int(), name: z.string() });

export const timestamp = z.iso.datetime();

/** Boolean query flags as they arrive in a URL. */
export const queryBool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
