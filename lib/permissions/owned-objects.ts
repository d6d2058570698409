import type { DbLike } from "@/lib/auth/context";

/** What a user or group still owns; deleting them is refused until it is handed over. */
export async function countOwned(db: DbLike, by: { ownerId: number } | { groupId: number }): Promise<string[]> {
  const [datastores, images, marketplaces, apps, vmTemplates, serviceTemplates] = await Promise.all([
    db.datastore.count({ where: by }),
    db.image.count({ where: by }),
    db.marketplace.count({ where: by }),
    db.marketplaceApp.count({ where: by }),
    db.vmTemplate.count({ where: by }),
    db.serviceTemplate.count({ where: by }),
  ]);
  return [
    datastores ? `${datastores} datastore(s)` : "",
    images ? `${images} image(s)` : "",
    marketplaces ? `${marketplaces} marketplace(s)` : "",
    apps ? `${apps} app(s)` : "",
    vmTemplates ? `${vmTemplates} VM template(s)` : "",
    serviceTemplates ? `${serviceTemplates} service template(s)` : "",
  ].filter(Boolean);
}
