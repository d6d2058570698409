import { z } from "zod";
import { dbId, objectName } from "@/lib/api/schemas";

/**
 * What the API takes to publish, edit, import and copy an app. Browser-safe: the console's
 * forms validate with these same schemas (components/ui/schema-validate.ts).
 */

export const shortText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._+-]{0,31}$/, "must be 1-32 lowercase letters, digits, '.', '_', '+' or '-'");

/** An app's metadata: what its publish gives and its edit changes. */
export const appMetadata = z.object({
  name: objectName,
  version: shortText(64).min(1, "is required"),
  description: z.string().trim().max(4096, "must be at most 4096 characters"),
  tags: z
    .array(tag)
    .max(20, "may be at most 20")
    .transform((t) => [...new Set(t)]),
  hypervisor: shortText(64),
  architecture: shortText(64),
  /** an IMAGE app's carried VM template (OpenNebula template text) */
  vmTemplate: z.string().max(65536, "must be at most 64 KiB"),
});

const reuse = dbId.nullable().default(null);
const diskChoices = z
  .array(z.object({ appId: reuse }))
  .max(64)
  .describe("per image disk of the VM template, in order: a READY IMAGE app to reuse, or null to publish the image");

const { shape } = appMetadata;

export const publishAppBody = z
  .object({
    marketplaceId: dbId,
    /** exactly one of imageId, vmTemplateId, serviceTemplateId */
    imageId: dbId.optional(),
    vmTemplateId: dbId.optional(),
    serviceTemplateId: dbId.optional(),
    name: shape.name,
    version: shape.version.default("1.0"),
    description: shape.description.default(""),
    tags: shape.tags.default([]),
    hypervisor: shape.hypervisor.default(""),
    architecture: shape.architecture.default(""),
    vmTemplate: shape.vmTemplate.default(""),
    /** for a VM template: reuse choices per image disk */
    disks: diskChoices.optional(),
    /** for a service template: per role, a READY VMTEMPLATE app to reuse or the disk choices of its VM template */
    roles: z
      .array(z.object({ appId: reuse, disks: diskChoices.optional() }))
      .max(32)
      .optional(),
  })
  .superRefine((v, ctx) => {
    const given = [v.imageId, v.vmTemplateId, v.serviceTemplateId].filter((x) => x !== undefined).length;
    if (given !== 1)
      ctx.addIssue({
        code: "custom",
        path: [v.vmTemplateId ? "vmTemplateId" : v.serviceTemplateId ? "serviceTemplateId" : "imageId"],
        message: "Give exactly one of imageId, vmTemplateId, serviceTemplateId",
      });
    if (v.disks && !v.vmTemplateId)
      ctx.addIssue({ code: "custom", path: ["disks"], message: "only apply to a VM template" });
    if (v.roles && !v.serviceTemplateId)
      ctx.addIssue({ code: "custom", path: ["roles"], message: "only apply to a service template" });
    if (v.vmTemplate && !v.imageId)
      ctx.addIssue({
        code: "custom",
        path: ["vmTemplate"],
        message: "Only an image app carries a VM template text; a VM template is published with vmTemplateId",
      });
  });

export const importAppBody = z.object({
  datastoreId: dbId,
  /** the new image's name (IMAGE app), or the base of every name a composite import creates */
  name: objectName,
  /** for an IMAGE app that carries a VM template: create that template too (default true) */
  createVmTemplate: z.boolean().default(true),
});

export const copyAppBody = z.object({
  marketplaceId: dbId,
  /** the copy's name (the app's own when not given); its child apps keep their names */
  name: objectName.optional(),
});
