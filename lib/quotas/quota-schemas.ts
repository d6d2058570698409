import { z } from "zod";
import { dbId, INT32_MAX } from "@/lib/api/schemas";

/** What the API takes to set quotas. Browser-safe: the console's quota editor validates with it. */

const limit = (max: number) => z.number().int().nonnegative().max(max, `must be at most ${max}`).nullable();

export const quotasInput = z
  .object({
    maxTransfers: limit(INT32_MAX).default(null),
    datastores: z
      .array(
        z.object({
          /** null: all datastores together */
          datastoreId: dbId.nullable(),
          maxBytes: limit(Number.MAX_SAFE_INTEGER).default(null),
          maxImages: limit(INT32_MAX).default(null),
        }),
      )
      .max(1000)
      .default([]),
  })
  .superRefine((quotas, ctx) => {
    const seen = new Set<number | null>();
    quotas.datastores.forEach((d, i) => {
      if (seen.has(d.datastoreId))
        ctx.addIssue({
          code: "custom",
          path: ["datastores", i, "datastoreId"],
          message: d.datastoreId === null ? "All datastores are listed twice" : "is listed twice",
        });
      seen.add(d.datastoreId);
    });
  });
export type QuotasInput = z.infer<typeof quotasInput>;
