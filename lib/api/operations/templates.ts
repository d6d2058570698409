import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, objectName, pageOf, queryBool, ref, timestamp } from "@/lib/api/schemas";
import { ownershipDto, sharedRefDto } from "@/lib/permissions/shared-dto";
import { DEPLOYMENTS, serviceTemplateBody } from "@/lib/templates/service-template-body";
import {
  cloneTemplateBody,
  createVmTemplateBody,
  templateDescription,
  vmTemplateFields,
} from "@/lib/templates/template-schemas";
import { permissionOperations } from "./shared";

// ---- VM templates ---------------------------------------------------------------------------

export const vmTemplateDiskDto = z.object({
  /** position among the template's DISK vectors (OpenNebula's DISK_ID), from 0 */
  index: z.number().int(),
  /** the image the disk uses; null for a volatile disk */
  imageId: z.number().int().nullable(),
  /** null when imageId names an image that no longer exists; its id alone when you may not use it */
  image: sharedRefDto({ name: z.string(), state: z.string() }).nullable(),
  /** "fs" or "swap" for a volatile disk, else "" */
  type: z.string(),
  devPrefix: z.string(),
  /** MB, "" when the image's own size is used */
  size: z.string(),
});

export const vmTemplateDto = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    /** OpenNebula template text without NAME */
    template: z.string(),
    /** the text to export (`onetemplate create` reads it): NAME first, then the template */
    text: z.string(),
    cpu: z.number().nullable(),
    vcpu: z.number().int().nullable(),
    memoryMb: z.number().int().nullable(),
    arch: z.string(),
    hypervisor: z.string(),
    disks: z.array(vmTemplateDiskDto),
    nicCount: z.number().int(),
    /** the marketplace app it was imported from */
    fromAppId: z.number().int().nullable(),
    zone: ref,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .extend(ownershipDto.shape);
export type VmTemplateDto = z.infer<typeof vmTemplateDto>;

export const listVmTemplates = defineOperation({
  id: "listVmTemplates",
  method: "GET",
  path: "/api/v1/vm-templates",
  summary: "VM templates of the local zone you may use",
  tag: "VM templates",
  auth: "user",
  query: listQuery(["id", "name", "createdAt", "updatedAt"] as const).extend({ mine: queryBool.optional() }),
  response: pageOf(vmTemplateDto),
});

export const createVmTemplate = defineOperation({
  id: "createVmTemplate",
  method: "POST",
  path: "/api/v1/vm-templates",
  summary:
    "Create a VM template from OpenNebula template text (create right). NAME in the text is the name when none is given; DISK = [ IMAGE = name, IMAGE_UNAME = owner ] is saved as IMAGE_ID; every disk image must be one of this zone you may use",
  tag: "VM templates",
  auth: "user",
  body: createVmTemplateBody,
  response: vmTemplateDto,
  status: 201,
  maxBodyBytes: 1024 * 1024,
});

export const getVmTemplate = defineOperation({
  id: "getVmTemplate",
  method: "GET",
  path: "/api/v1/vm-templates/{id}",
  summary: "A VM template with its disks and their images",
  tag: "VM templates",
  auth: "user",
  params: idParams,
  response: vmTemplateDto,
});

export const updateVmTemplate = defineOperation({
  id: "updateVmTemplate",
  method: "PATCH",
  path: "/api/v1/vm-templates/{id}",
  summary: "Rename, describe or replace the template text of a VM template (MANAGE)",
  tag: "VM templates",
  auth: "user",
  params: idParams,
  body: vmTemplateFields.partial().refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
  response: vmTemplateDto,
  maxBodyBytes: 1024 * 1024,
});

export const deleteVmTemplate = defineOperation({
  id: "deleteVmTemplate",
  method: "DELETE",
  path: "/api/v1/vm-templates/{id}",
  summary: "Delete a VM template (MANAGE; refused while a service template's role uses it)",
  tag: "VM templates",
  auth: "user",
  params: idParams,
  status: 204,
});

export const cloneVmTemplate = defineOperation({
  id: "cloneVmTemplate",
  method: "POST",
  path: "/api/v1/vm-templates/{id}/clone",
  summary: "Copy a VM template you may use into a new one of yours (create right)",
  tag: "VM templates",
  auth: "user",
  params: idParams,
  body: cloneTemplateBody,
  response: vmTemplateDto,
  status: 201,
});

export const { chmod: chmodVmTemplate, chown: chownVmTemplate } = permissionOperations(
  "vm-templates",
  "VM templates",
  "VM template",
);

// ---- Service templates ----------------------------------------------------------------------

export const serviceRoleDto = z.object({
  name: z.string(),
  cardinality: z.number().int(),
  parents: z.array(z.string()),
  /** null when the role's VM template no longer exists; its id alone when you may not use it */
  vmTemplate: sharedRefDto({ name: z.string() }).nullable(),
  vmTemplateId: z.number().int(),
});

export const serviceTemplateDto = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    deployment: z.enum(DEPLOYMENTS),
    roles: z.array(serviceRoleDto),
    /** the whole OneFlow document, as exported */
    body: z.record(z.string(), z.unknown()),
    fromAppId: z.number().int().nullable(),
    zone: ref,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .extend(ownershipDto.shape);
export type ServiceTemplateDto = z.infer<typeof serviceTemplateDto>;

export const listServiceTemplates = defineOperation({
  id: "listServiceTemplates",
  method: "GET",
  path: "/api/v1/service-templates",
  summary: "Service templates of the local zone you may use",
  tag: "Service templates",
  auth: "user",
  query: listQuery(["id", "name", "createdAt", "updatedAt"] as const).extend({ mine: queryBool.optional() }),
  response: pageOf(serviceTemplateDto),
});

export const createServiceTemplate = defineOperation({
  id: "createServiceTemplate",
  method: "POST",
  path: "/api/v1/service-templates",
  summary:
    "Create a service template (create right). The body is the OneFlow document itself: name, description, deployment, roles [{name, cardinality, vm_template, parents, …}]; other OneFlow keys are kept as given. Every role's VM template must be one of this zone you may use",
  tag: "Service templates",
  auth: "user",
  body: serviceTemplateBody,
  response: serviceTemplateDto,
  status: 201,
  maxBodyBytes: 1024 * 1024,
});

export const getServiceTemplate = defineOperation({
  id: "getServiceTemplate",
  method: "GET",
  path: "/api/v1/service-templates/{id}",
  summary: "A service template with its roles and their VM templates",
  tag: "Service templates",
  auth: "user",
  params: idParams,
  response: serviceTemplateDto,
});

export const updateServiceTemplate = defineOperation({
  id: "updateServiceTemplate",
  method: "PATCH",
  path: "/api/v1/service-templates/{id}",
  summary:
    "Rename, describe, or replace the OneFlow document of a service template (MANAGE). `body` replaces the whole document; `name` and `description`, when given, win over the document's",
  tag: "Service templates",
  auth: "user",
  params: idParams,
  body: z
    .object({ name: objectName, description: templateDescription, body: serviceTemplateBody })
    .partial()
    .refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
  response: serviceTemplateDto,
  maxBodyBytes: 1024 * 1024,
});

export const deleteServiceTemplate = defineOperation({
  id: "deleteServiceTemplate",
  method: "DELETE",
  path: "/api/v1/service-templates/{id}",
  summary: "Delete a service template (MANAGE)",
  tag: "Service templates",
  auth: "user",
  params: idParams,
  status: 204,
});

export const cloneServiceTemplate = defineOperation({
  id: "cloneServiceTemplate",
  method: "POST",
  path: "/api/v1/service-templates/{id}/clone",
  summary:
    "Copy a service template you may use into a new one of yours (create right); the roles keep their VM templates",
  tag: "Service templates",
  auth: "user",
  params: idParams,
  body: cloneTemplateBody,
  response: serviceTemplateDto,
  status: 201,
});

export const { chmod: chmodServiceTemplate, chown: chownServiceTemplate } = permissionOperations(
  "service-templates",
  "Service templates",
  "Service template",
);
