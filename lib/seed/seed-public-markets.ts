import type { DbLike } from "@/lib/auth/context";
import { linuxContainersMarketConfig, oneMarketConfig } from "@/lib/markets/drivers/config";

/**
 * The public catalogs a new installation registers, as OpenNebula ships its own marketplace
 * pre-registered: owned by the admin, usable by everyone (um- u-- u--). Linux Containers
 * starts disabled, as in OpenNebula. Nothing is fetched here: without internet the portal
 * starts all the same, and the first monitor stores why it could not reach the catalog.
 */
export const PUBLIC_MARKETPLACES = [
  {
    name: "OpenNebula Public",
    driver: "one",
    config: oneMarketConfig.parse({}),
    enabled: true,
    description:
      "The OpenNebula Systems public marketplace: appliances, VM templates and services built for OpenNebula",
  },
  {
    name: "Linux Containers",
    driver: "linuxcontainers",
    config: linuxContainersMarketConfig.parse({}),
    enabled: false,
    description: "The VM disk images of images.linuxcontainers.org (simplestreams), for KVM",
  },
] as const;

export async function seedPublicMarketplaces(db: DbLike, owner: { zoneId: number; userId: number; groupId: number }) {
  for (const m of PUBLIC_MARKETPLACES) {
    if (await db.marketplace.findUnique({ where: { name: m.name } })) continue;
    await db.marketplace.create({
      data: {
        name: m.name,
        driver: m.driver,
        config: JSON.stringify(m.config),
        description: m.description,
        enabled: m.enabled,
        zoneId: owner.zoneId,
        ownerId: owner.userId,
        groupId: owner.groupId,
        ownerRights: 6,
        groupRights: 4,
        otherRights: 4,
      },
    });
  }
}
