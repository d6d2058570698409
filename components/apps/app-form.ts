import { appMetadata } from "@/lib/apps/app-schemas";
import { schemaValidate } from "@/components/ui/schema-validate";

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

/** The API's own rules for the metadata (the form's other fields are not its concern). */
export const appFormValidate = schemaValidate(appMetadata);
/**
 * The same without the VM template, for a form that does not show it (a composite app's, which
 * may be longer than a hand-written one may be, and is not sent back unchanged).
 */
export const appFormValidateNoTemplate = schemaValidate(appMetadata.omit({ vmTemplate: true }));

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
