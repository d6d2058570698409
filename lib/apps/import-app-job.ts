import { z } from "zod";
import { db } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { defineStep, step, type PlannedStep } from "@/lib/jobs/define-flow";
import { PermanentJobError } from "@/lib/jobs/define-job";
import { defineFlow } from "@/lib/jobs/run-plan";
import { INGEST_STEPS, ingestSteps, type IngestTarget } from "@/lib/images/ingest-steps";
import { parseTemplate, serializeTemplate, type Template } from "@/lib/templates/template-text";
import { appDisks, templateForImage, templateFromMarket } from "@/lib/templates/composite";
import { discardImage } from "./discard-image";

const owner = z.object({
  zoneId: z.number().int(),
  ownerId: z.number().int(),
  groupId: z.number().int(),
  ownerRights: z.number().int(),
  groupRights: z.number().int(),
  otherRights: z.number().int(),
});

const importPayloadShape = z.object({
  /** the app the user imports (the root of the tree) */
  appId: z.number().int().positive(),
  /** one image per IMAGE app of the tree, in the order they are imported */
  images: z.array(z.object({ appId: z.number().int().positive(), imageId: z.number().int().positive() })),
  /**
   * the VM templates to create at the end, from the template each app carried when the import
   * was asked for (absent in jobs queued before: the app is read at the end)
   */
  vmTemplates: z.array(
    z.object({
      appId: z.number().int().positive(),
      name: z.string(),
      snapshot: z.object({ template: z.string(), description: z.string() }).optional(),
    }),
  ),
  /** the service template to create at the end (SERVICE_TEMPLATE apps), with the OneFlow body likewise */
  serviceTemplate: z
    .object({
      name: z.string(),
      snapshot: z.object({ body: z.string(), description: z.string() }).optional(),
    })
    .nullable(),
  /** who owns the templates it creates (null when it creates none) */
  owner: owner.nullable(),
});

/** Imports queued before composite apps carried `{appId, imageId}`: one image, no template. */
const importPayload = z.preprocess((raw) => {
  const v = raw as { appId?: number; imageId?: number; images?: unknown };
  if (v && typeof v === "object" && v.imageId !== undefined && v.images === undefined)
    return {
      appId: v.appId,
      images: [{ appId: v.appId, imageId: v.imageId }],
      vmTemplates: [],
      serviceTemplate: null,
      owner: null,
    };
  return raw;
}, importPayloadShape);
export type ImportPayload = z.infer<typeof importPayload>;

/** The OneFlow body a SERVICE_TEMPLATE app carries (written by the publish, roles by app id). */
export function serviceBodyOf(text: string): Record<string, unknown> & {
  roles: (Record<string, unknown> & { name: string; app_id?: number })[];
} {
  try {
    const body = JSON.parse(text || "{}") as { roles?: unknown };
    if (Array.isArray(body.roles)) return body as ReturnType<typeof serviceBodyOf>;
  } catch {
    // reported below
  }
  throw new PermanentJobError("the app's service template is not a OneFlow document with roles");
}

/**
 * The pivot of an app import: in one transaction the VM templates (disks pointing to the new
 * images) and the service template (roles pointing to the new VM templates) are created and
 * the images become READY.
 */
export const createImportedTemplates = defineStep({
  kind: "templates.create",
  params: importPayloadShape,
  result: z.object({}),
  run: async () => ({}),
  async record(tx, p) {
    try {
      await createTemplates(tx, p);
    } catch (err) {
      if (isUniqueViolation(err))
        throw new PermanentJobError("a template with one of the names of this import was created meanwhile");
      // a template the app carries that cannot be written back is not going to change on a retry
      if (err instanceof AppError && !(err instanceof PermanentJobError)) throw new PermanentJobError(err.message);
      throw err;
    }
  },
  pivot: true,
});

async function createTemplates(tx: DbLike, p: ImportPayload) {
  const { vms, service } = await carriedTemplates(tx, p);
  const vmOfApp = new Map<number, number>();
  for (const vt of vms) vmOfApp.set(vt.appId, await createVmTemplate(tx, p, vt));
  if (service) await createServiceTemplate(tx, p, service, vmOfApp);
  const ids = [...new Set(p.images.map((i) => i.imageId))];
  const { count } = await tx.image.updateMany({
    where: { id: { in: ids }, state: "LOCKED", storageKey: { not: "" } },
    data: { state: "READY" },
  });
  if (count !== ids.length) throw new PermanentJobError("an image of the import is no longer complete");
}

/** Who owns the templates (the import rolls back if it does not say). */
function ownerOf(p: ImportPayload): NonNullable<ImportPayload["owner"]> {
  if (!p.owner) throw new PermanentJobError("the import does not say who owns its templates");
  return p.owner;
}

type CarriedVm = { appId: number; name: string; template: string; description: string };
type CarriedService = { name: string; body: string; description: string };

/**
 * What the templates are made of: what the apps carried when the import was asked for, since
 * a public catalog's sync may delete an app or relink its disks to other apps while its bytes
 * come. A job queued before imports kept this reads the apps now, and ends if one is gone.
 */
async function carriedTemplates(tx: DbLike, p: ImportPayload) {
  const unsaved = [
    ...p.vmTemplates.filter((v) => !v.snapshot).map((v) => v.appId),
    ...(p.serviceTemplate && !p.serviceTemplate.snapshot ? [p.appId] : []),
  ];
  const apps =
    unsaved.length === 0
      ? []
      : await tx.marketplaceApp.findMany({
          where: { id: { in: unsaved } },
          select: { id: true, description: true, vmTemplate: true, serviceTemplate: true },
        });
  const appOf = new Map(apps.map((a) => [a.id, a]));
  const vms = p.vmTemplates.map((v): CarriedVm => {
    if (v.snapshot) return { appId: v.appId, name: v.name, ...v.snapshot };
    const app = appOf.get(v.appId);
    if (!app) throw new PermanentJobError(`app ${v.appId}, whose VM template it imports, was deleted`);
    return { appId: v.appId, name: v.name, template: app.vmTemplate, description: app.description };
  });
  let service: CarriedService | null = null;
  if (p.serviceTemplate?.snapshot) service = { name: p.serviceTemplate.name, ...p.serviceTemplate.snapshot };
  else if (p.serviceTemplate) {
    const app = appOf.get(p.appId);
    if (!app) throw new PermanentJobError("the service app was deleted");
    service = { name: p.serviceTemplate.name, body: app.serviceTemplate, description: app.description };
  }
  return { vms, service };
}

/** The VM template an app carried, its disks pointing to the images just imported. */
async function createVmTemplate(tx: DbLike, p: ImportPayload, vt: CarriedVm) {
  const imageOfApp = new Map(p.images.map((i) => [i.appId, i.imageId]));
  const parsed = parseTemplate(vt.template);
  // only IMAGE apps become images: the template of an app imported as an image gets that
  // image as its disk; a VMTEMPLATE app's disks name its image parts by APP_ID
  const imageId = imageOfApp.get(vt.appId);
  const template =
    imageId !== undefined
      ? templateForImage(parsed, imageId)
      : templateFromMarket(parsed, withEveryDisk(vt.appId, parsed, imageOfApp));
  const row = await tx.vmTemplate.create({
    data: {
      ...ownerOf(p),
      name: vt.name,
      description: vt.description,
      template: serializeTemplate(template),
      fromAppId: vt.appId,
    },
  });
  return row.id;
}

/** The images by app, when every disk of the template names an app this import brought. */
function withEveryDisk(appId: number, template: Template, imageOfApp: Map<number, number>) {
  for (const disk of appDisks(template))
    if (!imageOfApp.has(disk.appId))
      throw new PermanentJobError(
        `the VM template of app ${appId} names app ${disk.appId} in DISK ${disk.index}, which this import did not bring`,
      );
  return imageOfApp;
}

/** The service template of a SERVICE_TEMPLATE app, its roles pointing to the VM templates just made. */
async function createServiceTemplate(
  tx: DbLike,
  p: ImportPayload,
  service: CarriedService,
  vmOfApp: Map<number, number>,
) {
  const body = serviceBodyOf(service.body);
  const roles = body.roles.map(({ app_id, ...role }) => {
    const vm = vmOfApp.get(Number(app_id));
    if (vm === undefined) throw new PermanentJobError(`role ${String(role.name)} names no imported VM template`);
    return { ...role, vm_template: vm };
  });
  await tx.serviceTemplate.create({
    data: {
      ...ownerOf(p),
      name: service.name,
      description: service.description,
      body: JSON.stringify({ ...body, name: service.name, roles }),
      fromAppId: p.appId,
    },
  });
}

type AppRow = { id: number; name: string; state: string; sizeBytes: bigint };

/**
 * An app import: the ingest steps of each image (its bytes from the app's marketplace,
 * verified against the app's size and checksums, converted to the datastore's format), then
 * the templates and READY at once. An import whose images are all READY is finished.
 */
export function planAppImport(
  p: ImportPayload,
  apps: Map<number, AppRow>,
  images: Map<number, IngestTarget & { state: string }>,
  templatesMade = false,
): PlannedStep[] {
  const targets = p.images.map((part) => ({ part, app: apps.get(part.appId), image: images.get(part.imageId) }));
  // finished before: every image READY, or (an import of no image) its templates made
  if (targets.length > 0 ? targets.every((t) => t.image?.state === "READY") : templatesMade) return [];
  const many = targets.length > 1;
  const ingest = targets.flatMap(({ part, app, image }, n) => {
    const what = `image from app ${app?.name ?? part.appId}`;
    if (!app) throw new PermanentJobError(`${what} failed: the app was deleted`);
    if (!image) throw new PermanentJobError(`${what} failed: the image was deleted`);
    if (app.state !== "READY")
      throw new PermanentJobError(`${what} failed: the app is ${app.state}; only READY apps can be imported`);
    return ingestSteps(
      image,
      { from: "app", appId: app.id },
      {
        expectedBytes: Number(app.sizeBytes),
        suffix: `:${image.imageId}`,
        label: `${app.name} (${n + 1}/${targets.length})`,
        ...(many && { part: what }),
      },
    );
  });
  return [...ingest, step(createImportedTemplates, "templates", "creating templates", p)];
}

/**
 * Brings an app into the local zone: each image's bytes, one after the other under one
 * progress; the images stay LOCKED until all are in, then the templates are created and the
 * images become READY together. A failure removes every image; the templates never existed.
 */
export const importAppJob = defineFlow({
  kind: "app.import",
  schema: importPayload,
  steps: [...INGEST_STEPS, createImportedTemplates],
  async load(p) {
    const apps = await db().marketplaceApp.findMany({ where: { id: { in: p.images.map((i) => i.appId) } } });
    const images = await db().image.findMany({
      where: { id: { in: p.images.map((i) => i.imageId) } },
      include: { datastore: true },
    });
    const first = p.vmTemplates[0];
    const templatesMade =
      p.images.length === 0 &&
      !!first &&
      !!p.owner &&
      (await db().vmTemplate.count({ where: { ownerId: p.owner.ownerId, name: first.name, fromAppId: first.appId } })) >
        0;
    return {
      templatesMade,
      apps: new Map(apps.map((a) => [a.id, a])),
      images: new Map(
        images.map((i) => [
          i.id,
          {
            imageId: i.id,
            datastoreId: i.datastoreId,
            imageType: i.type,
            requiredFormat: i.datastore.requiredFormat,
            expectedMd5: i.expectedMd5,
            expectedSha256: i.expectedSha256,
            state: i.state,
          },
        ]),
      ),
    };
  },
  plan: (p, { apps, images, templatesMade }) => planAppImport(p, apps, images, templatesMade),
  async release(p) {
    for (const part of p.images) await discardImage(part.imageId).catch(() => {});
  },
});
