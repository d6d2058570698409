import { z } from "zod";
import { objectName } from "@/lib/api/schemas";
import {
  httpMarketConfig,
  linuxContainersMarketConfig,
  oneMarketConfig,
  s3MarketConfig,
  s3MarketSecrets,
} from "./drivers/config";

/** What the API takes to create a marketplace. Browser-safe: the console's forms validate with it. */

export const marketplaceDescription = z.string().trim().max(4096, "must be at most 4096 characters");

/** The driver part of a create body: its attributes, and for s3 its secret. */
export const marketplaceDriverBody = z.discriminatedUnion("driver", [
  z.object({ driver: z.literal("http"), config: httpMarketConfig }),
  z.object({ driver: z.literal("s3"), config: s3MarketConfig, secrets: s3MarketSecrets }),
  z.object({ driver: z.literal("one"), config: oneMarketConfig.default(oneMarketConfig.parse({})) }),
  z.object({
    driver: z.literal("linuxcontainers"),
    config: linuxContainersMarketConfig.default(linuxContainersMarketConfig.parse({})),
  }),
]);

export const createMarketplaceBody = z.intersection(
  z.object({
    name: objectName,
    description: marketplaceDescription.default(""),
    enabled: z.boolean().default(true),
  }),
  marketplaceDriverBody,
);
export type CreateMarketplaceBody = z.infer<typeof createMarketplaceBody>;

/** A read token of a marketplace's catalog. */
export const catalogTokenBody = z.object({ name: objectName });
