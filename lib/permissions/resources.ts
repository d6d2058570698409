/** Resource types that carry owner, group and rights, and that a group may be allowed to create. */
export const RESOURCE_TYPES = [
  "DATASTORE",
  "IMAGE",
  "MARKETPLACE",
  "MARKETPLACE_APP",
  "VM_TEMPLATE",
  "SERVICE_TEMPLATE",
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const RESOURCE_LABELS: Record<ResourceType, string> = {
  DATASTORE: "Datastores",
  IMAGE: "Images",
  MARKETPLACE: "Marketplaces",
  MARKETPLACE_APP: "Marketplace apps",
  VM_TEMPLATE: "VM templates",
  SERVICE_TEMPLATE: "Service templates",
};

/**
 * What a new group may create unless an admin changes it. Like OpenNebula's
 * GROUP_DEFAULT_ACLS: images and templates yes; datastores, marketplaces and apps are
 * granted explicitly.
 */
export const DEFAULT_GROUP_CREATE_RIGHTS: ResourceType[] = ["IMAGE", "VM_TEMPLATE", "SERVICE_TEMPLATE"];
