import type { DbLike } from "@/lib/auth/context";
import type { ResourceType } from "./resources";
import type { SharedObject } from "./rights";
import type { GrantKind, GrantTarget } from "./vdc-grants";

/**
 * How the generic chmod/chown services reach each kind of shared object. Each area adds
 * its model here when it is introduced; the services never name a model themselves.
 */
export interface SharedModel {
  label: string;
  /** local objects are visible in their own zone only */
  local: boolean;
  /** the kind whose USE a VDC may grant (datastores, marketplaces, apps) */
  grantKind?: GrantKind;
  find(
    db: DbLike,
    id: number,
  ): Promise<(SharedObject & Partial<GrantTarget> & { id: number; name: string; zoneId?: number }) | null>;
  update(db: DbLike, id: number, data: Partial<SharedObject>): Promise<unknown>;
}

export const SHARED_MODELS: Partial<Record<ResourceType, SharedModel>> = {
  DATASTORE: {
    label: "Datastore",
    local: true,
    grantKind: "DATASTORE",
    find: (db, id) => db.datastore.findUnique({ where: { id } }),
    update: (db, id, data) => db.datastore.update({ where: { id }, data }),
  },
  IMAGE: {
    label: "Image",
    local: true,
    find: (db, id) => db.image.findUnique({ where: { id } }),
    update: (db, id, data) => db.image.update({ where: { id }, data }),
  },
  MARKETPLACE: {
    label: "Marketplace",
    local: false,
    grantKind: "MARKETPLACE",
    find: (db, id) => db.marketplace.findUnique({ where: { id } }),
    update: (db, id, data) => db.marketplace.update({ where: { id }, data }),
  },
  MARKETPLACE_APP: {
    label: "App",
    local: false,
    grantKind: "MARKETPLACE_APP",
    find: async (db, id) => {
      const app = await db.marketplaceApp.findUnique({
        where: { id },
        include: { marketplace: { select: { zoneId: true } } },
      });
      return app && { ...app, lockLevel: app.lockLevel as SharedObject["lockLevel"] };
    },
    update: (db, id, data) => db.marketplaceApp.update({ where: { id }, data }),
  },
  VM_TEMPLATE: {
    label: "VM template",
    local: true,
    find: (db, id) => db.vmTemplate.findUnique({ where: { id } }),
    update: (db, id, data) => db.vmTemplate.update({ where: { id }, data }),
  },
  SERVICE_TEMPLATE: {
    label: "Service template",
    local: true,
    find: (db, id) => db.serviceTemplate.findUnique({ where: { id } }),
    update: (db, id, data) => db.serviceTemplate.update({ where: { id }, data }),
  },
};
