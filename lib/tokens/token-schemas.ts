import { z } from "zod";

/** What the API takes to create an API token. Browser-safe: the console's form validates with it. */
export const createTokenBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, "is required")
    .max(64, "must be at most 64 characters")
    // letters of any script: checked here rather than as a pattern in the OpenAPI document,
    // since most non-JavaScript tools cannot run \p{L}
    .refine((v) => /^[\p{L}\p{N} ._-]*$/u.test(v), "must be letters, digits, spaces, '.', '_' or '-'")
    .meta({ description: "letters (any script), digits, spaces, '.', '_' or '-'" }),
  expiresInDays: z.number().int().min(1, "must be at least 1 day").max(365, "must be at most 365 days"),
});
