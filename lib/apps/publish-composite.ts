import { reserveTransferSlot } from "@/lib/quotas/reserve-transfer";
import { db } from "@/lib/db/client";
import { subjectOf, type Ctx, type DbLike } from "@/lib/auth/context";
import { AppError, invalid, isUniqueViolation, conflict } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { nameFor } from "@/lib/permissions/references";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { findImage } from "@/lib/images/find-image";
import { findVmTemplate } from "@/lib/templates/find-vm-template";
import { findServiceTemplate } from "@/lib/templates/find-service-template";
import { parseServiceBody, type ServiceRole } from "@/lib/templates/service-template-body";
import { imageDisks, type DiskRef } from "@/lib/templates/composite";
import { parseTemplate } from "@/lib/templates/template-text";
import { appInclude, toAppDetailDto, type AppRow } from "./app-dto";
import {
  layoutComposite,
  publishedImages,
  type CompositeSource,
  type PlannedDisk,
  type PlannedRole,
  type PlannedService,
  type PlannedVm,
  type ReusedApp,
  type SourceImage,
} from "./composite-layout";
import { appFields, createCompositeApps } from "./create-composite-apps";
import { findApp } from "./find-app";
import { publishCompositeJob } from "./publish-composite-job";
import { claimAppName, freeAppName, publishTarget } from "./publish-target";

/** A large service makes many rows in one transaction: more than Prisma's default 5 s may pass. */
const TX_OPTIONS = { timeout: 30_000, maxWait: 10_000 };

export interface DiskChoice {
  /** a READY IMAGE app to reuse for this disk, or null to publish the disk's image */
  appId: number | null;
}
export interface RoleChoice {
  /** a READY VMTEMPLATE app to reuse for this role, or null to publish the role's VM template */
  appId: number | null;
  disks?: DiskChoice[];
}

export interface PublishCompositeInput {
  marketplaceId: number;
  vmTemplateId?: number;
  serviceTemplateId?: number;
  disks?: DiskChoice[];
  roles?: RoleChoice[];
  name: string;
  version: string;
  description: string;
  tags: string[];
  hypervisor: string;
  architecture: string;
}

type Market = Awaited<ReturnType<typeof publishTarget>>;

/**
 * Publishes a VM template (a VMTEMPLATE app whose image disks become child IMAGE apps) or a
 * service template (a SERVICE_TEMPLATE app whose roles become child VMTEMPLATE apps, each
 * with its own image children). The user may reuse READY apps for any disk or role instead.
 *
 * Everything is created in one transaction — every app LOCKED, every image held — and one job
 * uploads every new image app; the parent becomes READY only when all of them are. When the
 * job fails, every app and every byte it created is removed (see rollbackPublish).
 * Unlike OpenNebula, children are tied to their parent by id, never looked up by name.
 */
export async function publishComposite({ ctx, input }: { ctx: Ctx; input: PublishCompositeInput }) {
  const source = await readSource(ctx, input);
  const images = publishedImages(source);
  const market = await publishTarget(ctx, input.marketplaceId, sizeOf(images));
  try {
    const root = await db().$transaction(async (tx) => {
      await reserveTransferSlot(tx, ctx, "marketplaceId");
      const row = await writeComposite(tx, ctx, input, market, source);
      await enqueuePublish(tx, ctx, market, source, row, images);
      await auditPublish(tx, ctx, input, market, source, row, images);
      return row;
    }, TX_OPTIONS);
    return toAppDetailDto(db(), root, subjectOf(ctx));
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict("name", `marketplace ${market.name} already has an app named "${input.name}"`);
    throw err;
  }
}

const sizeOf = (images: SourceImage[]) => images.reduce((sum, i) => sum + Number(i.sizeBytes), 0);

/** Claims the name, lays out the apps with free derived names, and creates them. */
async function writeComposite(
  tx: DbLike,
  ctx: Ctx,
  input: PublishCompositeInput,
  market: Market,
  source: CompositeSource,
): Promise<AppRow> {
  await claimAppName(tx, market, input.name);
  const names = new Set([input.name]);
  const layout = await layoutComposite(source, input, (base) => freeAppName(tx, market.id, base, names));
  const rootId = await createCompositeApps(tx, appFields(ctx, input, market), layout);
  return tx.marketplaceApp.findUniqueOrThrow({ where: { id: rootId }, include: appInclude });
}

const sourceLabel = (source: CompositeSource) =>
  source.kind === "vm" ? `VM template ${source.vm.name}` : `service template ${source.service.name}`;

async function enqueuePublish(
  tx: DbLike,
  ctx: Ctx,
  market: Market,
  source: CompositeSource,
  row: AppRow,
  images: SourceImage[],
) {
  await enqueueJob(tx, publishCompositeJob, {
    zoneId: ctx.zone.id,
    payload: { appId: row.id },
    title: `Publish ${sourceLabel(source)} to ${market.name} as ${row.name}`,
    objectType: "MARKETPLACE_APP",
    objectId: row.id,
    createdById: ctx.user.id,
    bytesTotal: sizeOf(images),
  });
}

async function auditPublish(
  tx: DbLike,
  ctx: Ctx,
  input: PublishCompositeInput,
  market: Market,
  source: CompositeSource,
  row: AppRow,
  images: SourceImage[],
) {
  await recordAudit(
    { ...ctx, tx },
    {
      action: "app.publish",
      objectType: "MARKETPLACE_APP",
      objectId: row.id,
      objectName: row.name,
      details: {
        marketplaceId: market.id,
        ...(source.kind === "vm" ? { vmTemplateId: source.vm.id } : { serviceTemplateId: source.service.id }),
        images: images.map((i) => i.id),
        version: input.version,
      },
    },
  );
}

/** The VM template or service template to publish, with an image or a reused app per disk and role. */
async function readSource(ctx: Ctx, input: PublishCompositeInput): Promise<CompositeSource> {
  if (input.vmTemplateId !== undefined) {
    const scope = { field: "disks", marketplaceId: input.marketplaceId, where: "" };
    return { kind: "vm", vm: await readVm(ctx, input.vmTemplateId, input.disks, scope) };
  }
  if (input.serviceTemplateId !== undefined)
    return { kind: "service", service: await readService(ctx, input.serviceTemplateId, input) };
  throw invalid("vmTemplateId", "give a VM template or a service template to publish");
}

async function readService(ctx: Ctx, id: number, input: PublishCompositeInput): Promise<PlannedService> {
  const st = await findServiceTemplate(ctx, id, "publish");
  const body = parseServiceBody(st.body);
  if (input.roles && input.roles.length > body.roles.length)
    throw invalid("roles", `service template ${st.name} has ${body.roles.length} role(s)`);
  const roles: PlannedRole[] = [];
  for (const [i, role] of body.roles.entries()) roles.push(await readRole(ctx, role, i, input));
  return { id: st.id, name: st.name, body, roles };
}

async function readRole(ctx: Ctx, role: ServiceRole, i: number, input: PublishCompositeInput): Promise<PlannedRole> {
  const choice = input.roles?.[i];
  if (choice?.appId) {
    if (choice.disks) throw invalid(`roles.${i}.disks`, "a reused app brings its own disks");
    const app = await reusableApp(ctx, choice.appId, "VMTEMPLATE", `roles.${i}.appId`, input.marketplaceId);
    return { kind: "reuse", name: role.name, app };
  }
  const scope = { field: `roles.${i}.disks`, marketplaceId: input.marketplaceId, where: `role ${role.name}: ` };
  return { kind: "publish", name: role.name, vm: await readVm(ctx, role.vm_template, choice?.disks, scope) };
}

/** Where a VM template's disks are chosen: the input field, and the role it belongs to, if any. */
interface DiskScope {
  field: string;
  marketplaceId: number;
  /** "role <name>: " before the messages about a role's template, or "" */
  where: string;
}

/** A VM template and, per image disk, the image to publish or the app to reuse. */
async function readVm(ctx: Ctx, id: number, choices: DiskChoice[] | undefined, scope: DiskScope): Promise<PlannedVm> {
  const found = findVmTemplate(ctx, id, "publish");
  // a role's VM template that is gone or closed: the role is what the user can fix
  const vt = scope.where ? await asFieldError(found, scope.field.replace(/\.disks$/, ""), scope.where) : await found;
  const template = parseTemplate(vt.template);
  const disks = imageDisks(template);
  if (choices && choices.length > disks.length)
    throw invalid(scope.field, `${scope.where}VM template ${vt.name} has ${disks.length} disk(s) with an image`);
  const planned: PlannedDisk[] = [];
  for (const [k, disk] of disks.entries()) {
    const label = `${scope.where}VM template ${vt.name}, DISK ${disk.index}`;
    planned.push(await readDisk(ctx, disk, choices?.[k], { ...scope, field: `${scope.field}.${k}` }, label));
  }
  return { id: vt.id, name: vt.name, description: vt.description, template, disks: planned };
}

/** `scope.field` names this disk ("disks.0"); `label` names it in messages. */
async function readDisk(
  ctx: Ctx,
  disk: DiskRef,
  choice: DiskChoice | undefined,
  scope: DiskScope,
  label: string,
): Promise<PlannedDisk> {
  if (choice?.appId) {
    const app = await reusableApp(ctx, choice.appId, "IMAGE", `${scope.field}.appId`, scope.marketplaceId);
    return { kind: "reuse", index: disk.index, app };
  }
  const image = await asFieldError(findImage(ctx, disk.imageId, "publish"), scope.field, `${label}: `);
  if (image.state !== "READY" && image.state !== "USED")
    throw new AppError(
      "WRONG_STATE",
      `${label}: image ${image.name} is ${image.state}; only READY images can be published`,
      { invalidParams: [{ name: scope.field, reason: `image ${image.name} is ${image.state}` }] },
    );
  return { kind: "publish", index: disk.index, image };
}

/** A template or image the user named but may not publish (gone or closed), as an error of `field`. */
async function asFieldError<T>(found: Promise<T>, field: string, prefix: string): Promise<T> {
  try {
    return await found;
  } catch (err) {
    if (err instanceof AppError && (err.code === "NOT_FOUND" || err.code === "FORBIDDEN"))
      throw new AppError("INVALID", `${prefix}${err.message}`, {
        invalidParams: [{ name: field, reason: err.message }],
      });
    throw err;
  }
}

/**
 * An existing app the user picked for a disk or role: of the same marketplace, the right type,
 * READY, and one the user manages (a part cannot be deleted while a composite app uses it, so
 * reusing someone's app needs the right to decide over it).
 */
async function reusableApp(
  ctx: Ctx,
  id: number,
  type: "IMAGE" | "VMTEMPLATE",
  field: string,
  marketplaceId: number,
): Promise<ReusedApp> {
  let app;
  try {
    app = await findApp(ctx, id, "update");
  } catch (err) {
    if (err instanceof AppError) throw invalid(field, err.message);
    throw err;
  }
  if (app.marketplaceId !== marketplaceId)
    throw invalid(
      field,
      `app ${app.name} is in marketplace ${nameFor(subjectOf(ctx), app.marketplace, "MARKETPLACE")}; parts must be in the same one`,
    );
  if (app.type !== type) throw invalid(field, `app ${app.name} is a ${app.type} app, not ${type}`);
  if (app.state !== "READY") throw invalid(field, `app ${app.name} is ${app.state}; only READY apps can be reused`);
  return app;
}
