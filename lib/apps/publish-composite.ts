import { db, type Prisma } from "@/lib/db/client";
import { subjectOf, type Ctx, type DbLike } from "@/lib/auth/context";
import { AppError, invalid, isUniqueViolation, conflict } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { nameFor } from "@/lib/permissions/references";
import { sharedRights } from "@/lib/permissions/rights";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { findImage } from "@/lib/images/find-image";
import { appKey } from "@/lib/markets/app-key";
import { findVmTemplate } from "@/lib/templates/find-vm-template";
import { findServiceTemplate } from "@/lib/templates/find-service-template";
import { parseServiceBody } from "@/lib/templates/service-template-body";
import { imageDisks, templateForMarket } from "@/lib/templates/composite";
import { parseTemplate, serializeTemplate, type Template } from "@/lib/templates/template-text";
import { appInclude, packTags, toAppDetailDto } from "./app-dto";
import { findApp } from "./find-app";
import { holdImage } from "./image-hold";
import { publishCompositeJob } from "./composite-jobs";
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

type ImageRow = Awaited<ReturnType<typeof findImage>>;
type ReusedApp = { id: number; name: string; sizeBytes: bigint };

interface PlannedDisk {
  /** position among the template's DISK attributes */
  index: number;
  reuse?: ReusedApp;
  image?: ImageRow;
}

interface PlannedVm {
  id: number;
  name: string;
  description: string;
  template: Template;
  disks: PlannedDisk[];
}

interface PlannedRole {
  name: string;
  reuse?: ReusedApp;
  vm?: PlannedVm;
}

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
  let vm: PlannedVm | undefined;
  let service: { id: number; name: string; body: Record<string, unknown>; roles: PlannedRole[] } | undefined;
  if (input.vmTemplateId !== undefined) {
    vm = await planVm(ctx, input.vmTemplateId, input.disks, "disks", input.marketplaceId);
  } else if (input.serviceTemplateId !== undefined) {
    const st = await findServiceTemplate(ctx, input.serviceTemplateId, "publish");
    const body = parseServiceBody(st.body) as Record<string, unknown> & {
      roles: { name: string; vm_template: number }[];
    };
    if (input.roles && input.roles.length > body.roles.length)
      throw invalid("roles", `service template ${st.name} has ${body.roles.length} role(s)`);
    const roles: PlannedRole[] = [];
    for (const [i, role] of body.roles.entries()) {
      const choice = input.roles?.[i];
      if (choice?.appId) {
        if (choice.disks) throw invalid(`roles.${i}.disks`, "a reused app brings its own disks");
        roles.push({
          name: role.name,
          reuse: await reusableApp(ctx, choice.appId, "VMTEMPLATE", `roles.${i}.appId`, input.marketplaceId),
        });
      } else {
        roles.push({
          name: role.name,
          vm: await planVm(
            ctx,
            role.vm_template,
            choice?.disks,
            `roles.${i}.disks`,
            input.marketplaceId,
            `role ${role.name}: `,
          ),
        });
      }
    }
    service = { id: st.id, name: st.name, body, roles };
  } else {
    throw invalid("vmTemplateId", "give a VM template or a service template to publish");
  }

  // each image is published once, however many disks use it
  const images = new Map<number, ImageRow>();
  for (const planned of vm ? [vm] : service!.roles.flatMap((r) => (r.vm ? [r.vm] : [])))
    for (const d of planned.disks) if (d.image) images.set(d.image.id, d.image);
  const bytes = [...images.values()].reduce((sum, i) => sum + Number(i.sizeBytes), 0);
  const market = await publishTarget(ctx, input.marketplaceId, bytes);

  const common = {
    marketplaceId: market.id,
    zoneId: ctx.zone.id,
    state: "LOCKED",
    version: input.version,
    publisher: ctx.user.displayName || ctx.user.username,
    tags: packTags(input.tags),
    hypervisor: input.hypervisor,
    architecture: input.architecture,
    ownerId: ctx.user.id,
    groupId: ctx.user.primaryGroupId,
    ...sharedRights(subjectOf(ctx), ctx.user.umask),
  } satisfies Partial<Prisma.MarketplaceAppUncheckedCreateInput>;

  try {
    const root = await db().$transaction(async (tx) => {
      await claimAppName(tx, market, input.name);
      const names = new Set([input.name]);
      // the reused apps are still READY: the update locks their rows against a delete that
      // would claim them at the same time (deleteApp claims only apps that are no one's part)
      const reused = vm ? vm.disks : service!.roles.flatMap((r) => [r, ...(r.vm?.disks ?? [])]);
      for (const part of reused) {
        if (!part.reuse) continue;
        const { count } = await tx.marketplaceApp.updateMany({
          where: { id: part.reuse.id, state: "READY" },
          data: { updatedAt: new Date() },
        });
        if (count === 0) throw new AppError("WRONG_STATE", `App ${part.reuse.name} is no longer READY`);
      }
      const imageApps = new Map<number, { id: number; sizeBytes: bigint }>();

      const createImageApp = async (image: ImageRow, base: string) => {
        const existing = imageApps.get(image.id);
        if (existing) return existing;
        if (!(await holdImage(tx, image.id)))
          throw new AppError("WRONG_STATE", `Image ${image.name} is no longer READY`);
        const created = await tx.marketplaceApp.create({
          data: {
            ...common,
            name: await freeAppName(tx, market.id, `${base}-${image.name}`, names),
            type: "IMAGE",
            description: image.description,
            format: image.format,
            imageTemplate: JSON.stringify({ type: image.type, description: image.description }),
            originImageId: image.id,
          },
        });
        await tx.marketplaceApp.update({ where: { id: created.id }, data: { storageKey: appKey(created.id) } });
        const out = { id: created.id, sizeBytes: image.sizeBytes };
        imageApps.set(image.id, out);
        return out;
      };

      const createVmApp = async (planned: PlannedVm, name: string, description: string) => {
        const appOfDisk = new Map<number, number>();
        const parts: { slot: string; id: number; created: boolean; size: bigint }[] = [];
        for (const d of planned.disks) {
          const child = d.reuse ?? (await createImageApp(d.image!, name));
          appOfDisk.set(d.index, child.id);
          parts.push({ slot: `DISK ${d.index}`, id: child.id, created: !d.reuse, size: child.sizeBytes });
        }
        const app = await tx.marketplaceApp.create({
          data: {
            ...common,
            name,
            type: "VMTEMPLATE",
            description,
            vmTemplate: serializeTemplate(templateForMarket(planned.template, appOfDisk)),
            originTemplateId: planned.id,
            sizeBytes: parts.reduce((sum, p) => sum + p.size, BigInt(0)),
          },
        });
        await linkChildren(tx, app.id, parts);
        return { id: app.id, sizeBytes: app.sizeBytes };
      };

      let rootId: number;
      if (vm) {
        rootId = (await createVmApp(vm, input.name, input.description || vm.description)).id;
      } else {
        const parts: { slot: string; id: number; created: boolean; size: bigint }[] = [];
        const appOfRole = new Map<string, number>();
        for (const role of service!.roles) {
          const child =
            role.reuse ??
            (await createVmApp(
              role.vm!,
              await freeAppName(tx, market.id, `${input.name}-${role.name}`, names),
              role.vm!.description,
            ));
          appOfRole.set(role.name, child.id);
          parts.push({ slot: role.name, id: child.id, created: !role.reuse, size: child.sizeBytes });
        }
        const body = {
          ...service!.body,
          name: input.name,
          description: input.description || (service!.body.description as string | undefined) || "",
          roles: (service!.body.roles as Record<string, unknown>[]).map((role) => {
            const { vm_template: _, ...rest } = role;
            return { ...rest, app_id: appOfRole.get(role.name as string) };
          }),
        };
        const app = await tx.marketplaceApp.create({
          data: {
            ...common,
            name: input.name,
            type: "SERVICE_TEMPLATE",
            description: body.description,
            serviceTemplate: JSON.stringify(body, null, 2),
            originTemplateId: service!.id,
            sizeBytes: parts.reduce((sum, p) => sum + p.size, BigInt(0)),
          },
        });
        await linkChildren(tx, app.id, parts);
        rootId = app.id;
      }

      const row = await tx.marketplaceApp.findUniqueOrThrow({ where: { id: rootId }, include: appInclude });
      const source = vm ? `VM template ${vm.name}` : `service template ${service!.name}`;
      await enqueueJob(tx, publishCompositeJob, {
        zoneId: ctx.zone.id,
        payload: { appId: row.id },
        title: `Publish ${source} to ${market.name} as ${row.name}`,
        objectType: "MARKETPLACE_APP",
        objectId: row.id,
        createdById: ctx.user.id,
        bytesTotal: bytes,
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "app.publish",
          objectType: "MARKETPLACE_APP",
          objectId: row.id,
          objectName: row.name,
          details: {
            marketplaceId: market.id,
            ...(vm ? { vmTemplateId: vm.id } : { serviceTemplateId: service!.id }),
            images: [...images.keys()],
            version: input.version,
          },
        },
      );
      return row;
    }, TX_OPTIONS);
    return toAppDetailDto(db(), root, subjectOf(ctx));
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict("name", `marketplace ${market.name} already has an app named "${input.name}"`);
    throw err;
  }
}

async function linkChildren(tx: DbLike, parentId: number, parts: { slot: string; id: number; created: boolean }[]) {
  for (const [position, p] of parts.entries())
    await tx.marketplaceAppChild.create({
      data: { parentId, position, childId: p.id, slot: p.slot, created: p.created },
    });
}

/** A VM template and, per image disk, the image to publish or the app to reuse. */
async function planVm(
  ctx: Ctx,
  id: number,
  choices: DiskChoice[] | undefined,
  field: string,
  marketplaceId: number,
  where = "",
): Promise<PlannedVm> {
  let vt: Awaited<ReturnType<typeof findVmTemplate>>;
  try {
    vt = await findVmTemplate(ctx, id, "publish");
  } catch (err) {
    // a role's VM template that is gone or closed: the role is what the user can fix
    if (where && err instanceof AppError && (err.code === "NOT_FOUND" || err.code === "FORBIDDEN"))
      throw new AppError("INVALID", `${where}${err.message}`, {
        invalidParams: [{ name: field.replace(/\.disks$/, ""), reason: err.message }],
      });
    throw err;
  }
  const template = parseTemplate(vt.template);
  const disks = imageDisks(template);
  if (choices && choices.length > disks.length)
    throw invalid(field, `${where}VM template ${vt.name} has ${disks.length} disk(s) with an image`);
  const planned: PlannedDisk[] = [];
  for (const [k, disk] of disks.entries()) {
    const appId = choices?.[k]?.appId;
    if (appId) {
      planned.push({
        index: disk.index,
        reuse: await reusableApp(ctx, appId, "IMAGE", `${field}.${k}.appId`, marketplaceId),
      });
      continue;
    }
    const label = `${where}VM template ${vt.name}, DISK ${disk.index}`;
    let image: ImageRow;
    try {
      image = await findImage(ctx, disk.imageId, "publish");
    } catch (err) {
      if (err instanceof AppError && (err.code === "NOT_FOUND" || err.code === "FORBIDDEN"))
        throw new AppError("INVALID", `${label}: ${err.message}`, {
          invalidParams: [{ name: `${field}.${k}`, reason: err.message }],
        });
      throw err;
    }
    if (image.state !== "READY" && image.state !== "USED")
      throw new AppError(
        "WRONG_STATE",
        `${label}: image ${image.name} is ${image.state}; only READY images can be published`,
        {
          invalidParams: [{ name: `${field}.${k}`, reason: `image ${image.name} is ${image.state}` }],
        },
      );
    planned.push({ index: disk.index, image });
  }
  return { id: vt.id, name: vt.name, description: vt.description, template, disks: planned };
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
      `app ${app.name} is in marketplace ${nameFor(subjectOf(ctx), app.marketplace)}; parts must be in the same one`,
    );
  if (app.type !== type) throw invalid(field, `app ${app.name} is a ${app.type} app, not ${type}`);
  if (app.state !== "READY") throw invalid(field, `app ${app.name} is ${app.state}; only READY apps can be reused`);
  return app;
}
