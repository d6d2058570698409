/** What "Publish to marketplace" and "Edit app" ask for (edit has no marketplace). */
export interface AppFormValues {
  marketplaceId: string;
  name: string;
  version: string;
  description: string;
  tags: string[];
  hypervisor: string;
  architecture: string;
  vmTemplate: string;
}

export function appFormValues(from: Partial<AppFormValues>): AppFormValues {
  return {
    marketplaceId: "",
    name: "",
    version: "1.0",
    description: "",
    tags: [],
    hypervisor: "",
    architecture: "",
    vmTemplate: "",
    ...from,
  };
}

export const appFormValidate = {
  name: (v: string) => (v.trim() ? null : "is required"),
  version: (v: string) => (v.trim() ? null : "is required"),
};

/** The metadata fields of the publish and edit bodies. */
export function appMetadataBody(v: AppFormValues) {
  return {
    name: v.name.trim(),
    version: v.version.trim(),
    description: v.description,
    tags: v.tags,
    hypervisor: v.hypervisor.trim(),
    architecture: v.architecture.trim(),
    vmTemplate: v.vmTemplate,
  };
}
