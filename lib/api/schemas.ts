import { z } from "zod";
import { RESOURCE_TYPES } from "@/lib/permissions/resources";

/** Schemas shared by every area: ids, paging, sorting, names. */

/**
 * The largest value of an `int` column (PostgreSQL's `integer`, which refuses more; SQLite
 * would store it). Ids, counts and MB figures are bounded by it at the edge, on both databases.
 */
export const INT32_MAX = 2_147_483_647;

/** A row id in a JSON body (0, as a form sends "none chosen", is no id: "is required"). */
export const dbId = z
  .number()
  .int()
  .min(1, { error: (issue) => (issue.input === 0 ? "is required" : "must be a positive id") })
  .max(INT32_MAX, `must be at most ${INT32_MAX}`);

/**
 * An integer as it arrives in a URL: decimal digits only. `Number()` would also read `1e3`,
 * `0x10`, ` 12` or `+5`; none of those is an id. The OpenAPI document shows it as an integer
 * with its bounds (lib/api/openapi.ts reads them from `urlIntBounds`).
 */
export const urlIntBounds = new WeakMap<object, { minimum: number; maximum: number }>();
export function urlInt(minimum: number, maximum: number) {
  const schema = z
    .string()
    .regex(/^[0-9]{1,20}$/, "must be a decimal integer")
    .transform(Number)
    .pipe(z.number().min(minimum, `must be at least ${minimum}`).max(maximum, `must be at most ${maximum}`));
  urlIntBounds.set(schema, { minimum, maximum });
  return schema;
}

/** An id in a path or a query filter. */
export const urlId = () => urlInt(1, INT32_MAX);

export const idParams = z.object({ id: urlId() });

/** Pages beyond this would skip more rows than an `int` counts (PostgreSQL's OFFSET parameter). */
export const MAX_PAGE = 10_000_000;

export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;

export function listQuery<S extends readonly [string, ...string[]]>(sortFields: S) {
  return z.object({
    page: urlInt(1, MAX_PAGE).default(1),
    perPage: urlInt(1, 200).default(25),
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
  // control characters spelt as \x ranges: most non-JavaScript tools cannot run \p{Cc}
  .regex(
    /^[^&|:\\";/'#{}$<>\x00-\x1F\x7F-\x9F]*$/,
    "must not contain & | : \\ \" ; / ' # { } $ < > or control characters",
  );

export const username = z
  .string()
  .trim()
  .min(2, "must be at least 2 characters")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-', starting with a letter");

export const password = z.string().min(8, "must be at least 8 characters").max(256, "must be at most 256 characters");

export const umask = z.string().regex(/^[0-7]{3}$/, "must be three octal digits, e.g. 177");

export const resourceType = z.enum(RESOURCE_TYPES);

export const ref = z.object({ id: z.number().int(), name: z.string() });

/** The zone of a federated object, with the portal URL to manage it there (null while unknown). */
export const zoneRef = ref.extend({ endpoint: z.string().nullable() });

export const timestamp = z.iso.datetime();

/** Boolean query flags as they arrive in a URL. */
export const queryBool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
