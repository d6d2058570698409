import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError, conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { nameFor } from "@/lib/permissions/references";
import { initialRights } from "@/lib/permissions/rights";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { findDatastore } from "@/lib/datastores/find-datastore";
import { measureCapacity, noSpaceMessage } from "@/lib/datastores/measure-capacity";
import { imageInclude, latestJobs, toImageDto } from "@/lib/images/image-dto";
import { TYPES_BY_DATASTORE } from "@/lib/images/image-rules";
import { MARKET_DRIVER_CAPABILITIES } from "@/lib/markets/drivers/registry";
import type { MarketDriverName } from "@/lib/markets/drivers/config";
import type { ImportPlanDto } from "@/lib/api/operations/apps";
import { appDisks } from "@/lib/templates/composite";
import { parseTemplate, serializeTemplate } from "@/lib/templates/template-text";
import { loadAppTree, type TreeNode } from "./app-tree";
import { findApp } from "./find-app";
import { importAppJob, serviceBodyOf, type ImportPayload } from "./composite-jobs";

export interface ImportAppInput {
  id: number;
  datastoreId: number;
  name: string;
  createVmTemplate: boolean;
}

type AppRow = Awaited<ReturnType<typeof findApp>>;

interface PlannedImage {
  app: AppRow;
  name: string;
  type: string;
}

interface Plan {
  root: AppRow;
  ds: Awaited<ReturnType<typeof findDatastore>>;
  images: PlannedImage[];
  vmTemplates: { app: AppRow; name: string; disks: string[] }[];
  serviceTemplate: { name: string; roles: { name: string; vmTemplate: string }[] } | null;
  totalBytes: number;
  freeBytes: number;
}

/**
 * What importing an app creates, checked as the import checks it: USE on the app and on
 * every child app (which OpenNebula never checks), all READY in enabled marketplaces that can
 * serve bytes, a datastore of this zone that takes each image type and has room for all of
 * them, and free names. The image or template the user names gets exactly that name; the
 * parts derived from it get the first free "<name>-<part>[_N]".
 */
async function planImport(ctx: Ctx, input: ImportAppInput): Promise<Plan> {
  const root = await findApp(ctx, input.id, "import");
  checkImportable(ctx, root, "");
  if (!ctx.user.createRights.includes("IMAGE")) throw forbidden("Your groups may not create images");
  const ds = await findDatastore(ctx, input.datastoreId, "use");
  if (!ds.enabled)
    throw new AppError("WRONG_STATE", `Datastore ${ds.name} is disabled`, {
      invalidParams: [{ name: "datastoreId", reason: "is disabled" }],
    });

  const names = new NameBook(ctx.user.id);
  const images: PlannedImage[] = [];
  const imageOfApp = new Map<number, PlannedImage>();
  const vmTemplates: Plan["vmTemplates"] = [];
  let serviceTemplate: Plan["serviceTemplate"] = null;

  const addImage = async (app: AppRow, name: string, exact: boolean) => {
    const known = imageOfApp.get(app.id);
    if (known) return known;
    const type = (JSON.parse(app.imageTemplate) as { type?: string }).type ?? "OS";
    if (!TYPES_BY_DATASTORE[ds.type]?.includes(type))
      throw new AppError("INVALID", `A ${ds.type} datastore does not take ${type} images (app ${app.name})`, {
        invalidParams: [{ name: "datastoreId", reason: `does not take ${type} images` }],
      });
    const planned = { app, name: exact ? await names.exactImage(name) : await names.image(name), type };
    images.push(planned);
    imageOfApp.set(app.id, planned);
    return planned;
  };

  /** A VMTEMPLATE app: one image per disk child, then the template. */
  const addVm = async (app: AppRow, nodes: TreeNode[], name: string, exact: boolean) => {
    const children = await childApps(ctx, nodes, `of ${app.name}`);
    const byId = new Map(children.map((c) => [c.id, c]));
    const disks: string[] = [];
    const vmName = exact ? await names.exactVm(name) : await names.vm(name);
    for (const disk of appDisks(parseTemplate(app.vmTemplate))) {
      const child = byId.get(disk.appId);
      if (!child || child.type !== "IMAGE")
        throw new AppError(
          "WRONG_STATE",
          `App ${app.name}: DISK ${disk.index} names app ${disk.appId}, which is not one of its image parts`,
        );
      disks.push((await addImage(child, `${vmName}-disk${disk.index}`, false)).name);
    }
    vmTemplates.push({ app, name: vmName, disks });
  };

  if (root.type === "IMAGE") {
    await addImage(root, input.name, true);
    if (input.createVmTemplate && root.vmTemplate.trim())
      vmTemplates.push({ app: root, name: await names.exactVm(input.name), disks: [input.name] });
  } else {
    const tree = await loadAppTree(db(), root.id);
    if (root.type === "VMTEMPLATE") {
      await addVm(root, tree, input.name, true);
    } else {
      const roleApps = await childApps(ctx, tree, `of ${root.name}`);
      let body: ReturnType<typeof serviceBodyOf>;
      try {
        body = serviceBodyOf(root.serviceTemplate);
      } catch (err) {
        throw new AppError("WRONG_STATE", `App ${root.name}: ${(err as Error).message}`);
      }
      const serviceName = await names.exactService(input.name);
      const roles: { name: string; vmTemplate: string }[] = [];
      for (const role of body.roles) {
        const node = tree.find((n) => n.app.id === role.app_id);
        const app = roleApps.find((a) => a.id === role.app_id);
        if (!node || !app || app.type !== "VMTEMPLATE")
          throw new AppError("WRONG_STATE", `App ${root.name}: role ${role.name} names no VM template part`);
        const already = vmTemplates.find((v) => v.app.id === app.id);
        if (!already) await addVm(app, node.children, `${serviceName}-${role.name}`, false);
        roles.push({ name: role.name, vmTemplate: (already ?? vmTemplates.at(-1)!).name });
      }
      serviceTemplate = { name: serviceName, roles };
    }
  }

  for (const vt of vmTemplates) {
    try {
      serializeTemplate(parseTemplate(vt.app.vmTemplate));
    } catch (err) {
      throw new AppError(
        "WRONG_STATE",
        `App ${vt.app.name} carries a VM template that cannot be imported: ${(err as Error).message}`,
      );
    }
  }
  if (!ctx.user.createRights.includes("IMAGE")) throw forbidden("Your groups may not create images");
  if (vmTemplates.length > 0 && !ctx.user.createRights.includes("VM_TEMPLATE"))
    throw forbidden("Your groups may not create VM templates (import without the VM template, or ask for the right)");
  if (serviceTemplate && !ctx.user.createRights.includes("SERVICE_TEMPLATE"))
    throw forbidden("Your groups may not create service templates");

  const totalBytes = images.reduce((sum, i) => sum + Number(i.app.sizeBytes), 0);
  // converted to raw, a disk takes its virtual size (a qcow2 app can be much smaller)
  const needBytes =
    ds.requiredFormat === "raw"
      ? images.reduce((sum, i) => sum + Math.max(Number(i.app.sizeBytes), Number(i.app.virtualSizeBytes)), 0)
      : totalBytes;
  const { capacity } = await measureCapacity(ds);
  if (needBytes > capacity.freeBytes)
    throw new AppError("NO_SPACE", noSpaceMessage(ds.name, needBytes, capacity.freeBytes), {
      invalidParams: [{ name: "datastoreId", reason: "does not have the room" }],
    });
  return { root, ds, images, vmTemplates, serviceTemplate, totalBytes, freeBytes: capacity.freeBytes };
}

function checkImportable(ctx: Ctx, app: AppRow, what: string) {
  if (app.state !== "READY")
    throw new AppError("WRONG_STATE", `App ${app.name}${what} is ${app.state}; only READY apps can be imported`);
  const market = nameFor(subjectOf(ctx), app.marketplace);
  if (!app.marketplace.enabled)
    throw new AppError("WRONG_STATE", `Marketplace ${market} is disabled; its apps cannot be imported`);
  if (!MARKET_DRIVER_CAPABILITIES[app.marketplace.driver as MarketDriverName]?.read)
    throw new AppError("WRONG_STATE", `Marketplace ${market} cannot serve app bytes`);
}

/** The child apps of a tree level, each one the user may import. */
async function childApps(ctx: Ctx, nodes: TreeNode[], of: string): Promise<AppRow[]> {
  const out: AppRow[] = [];
  for (const node of nodes) {
    let app: AppRow;
    try {
      app = await findApp(ctx, node.app.id, "import");
    } catch (err) {
      if (err instanceof AppError) throw new AppError(err.code, `Part ${node.slot} ${of}: ${err.message}`);
      throw err;
    }
    checkImportable(ctx, app, ` (part ${node.slot} ${of})`);
    out.push(app);
  }
  return out;
}

/** Names of a user's images and templates, and the ones this import has chosen. */
class NameBook {
  private chosen = { image: new Set<string>(), vm: new Set<string>(), service: new Set<string>() };
  constructor(private ownerId: number) {}

  private async taken(kind: "image" | "vm" | "service", name: string) {
    if (this.chosen[kind].has(name)) return true;
    const where = { ownerId: this.ownerId, name };
    const row =
      kind === "image"
        ? await db().image.findFirst({ where, select: { id: true } })
        : kind === "vm"
          ? await db().vmTemplate.findFirst({ where, select: { id: true } })
          : await db().serviceTemplate.findFirst({ where, select: { id: true } });
    return row !== null;
  }

  private async exact(kind: "image" | "vm" | "service", name: string, label: string) {
    if (await this.taken(kind, name)) throw conflict("name", `you already have ${label} named "${name}"`);
    this.chosen[kind].add(name);
    return name;
  }

  private async free(kind: "image" | "vm" | "service", base: string) {
    const stem = Array.from(base).slice(0, 120).join("").trim();
    for (let n = 1; ; n++) {
      const name = n === 1 ? stem : `${stem}_${n}`;
      if (await this.taken(kind, name)) continue;
      this.chosen[kind].add(name);
      return name;
    }
  }

  exactImage = (name: string) => this.exact("image", name, "an image");
  exactVm = (name: string) => this.exact("vm", name, "a VM template");
  exactService = (name: string) => this.exact("service", name, "a service template");
  image = (base: string) => this.free("image", base);
  vm = (base: string) => this.free("vm", base);
}

function toPlanDto(plan: Plan): ImportPlanDto {
  return {
    images: plan.images.map((i) => ({
      name: i.name,
      type: i.type,
      sizeBytes: Number(i.app.sizeBytes),
      app: { id: i.app.id, name: i.app.name },
    })),
    vmTemplates: plan.vmTemplates.map((v) => ({
      name: v.name,
      app: { id: v.app.id, name: v.app.name },
      disks: v.disks,
    })),
    serviceTemplate: plan.serviceTemplate,
    datastore: { id: plan.ds.id, name: plan.ds.name },
    totalBytes: plan.totalBytes,
    freeBytes: plan.freeBytes,
  };
}

/** What an import would create, refused for the same reasons the import would be. */
export async function previewAppImport({ ctx, input }: { ctx: Ctx; input: ImportAppInput }) {
  return toPlanDto(await planImport(ctx, input));
}

/**
 * Imports a READY app into a datastore of the local zone (OpenNebula's "export"): an IMAGE
 * app becomes an image (and the VM template it carries, unless createVmTemplate is false); a
 * VMTEMPLATE app one image per disk and a VM template pointing to them; a SERVICE_TEMPLATE
 * app the same per role and a service template pointing to those. The images are created
 * LOCKED now; one job brings every byte, then creates the templates. Nothing half-imported
 * ever remains.
 */
export async function importApp({ ctx, input }: { ctx: Ctx; input: ImportAppInput }) {
  const plan = await planImport(ctx, input);
  const rights = initialRights(subjectOf(ctx), ctx.user.umask);
  const owner = { zoneId: ctx.zone.id, ownerId: ctx.user.id, groupId: ctx.user.primaryGroupId, ...rights };
  try {
    const { created, jobId } = await db().$transaction(
      async (tx) => {
        // the names were free when planned; another request may have taken one since
        for (const v of plan.vmTemplates)
          if (await tx.vmTemplate.findFirst({ where: { ownerId: ctx.user.id, name: v.name }, select: { id: true } }))
            throw conflict("name", `you already have a VM template named "${v.name}"`);
        if (
          plan.serviceTemplate &&
          (await tx.serviceTemplate.findFirst({
            where: { ownerId: ctx.user.id, name: plan.serviceTemplate.name },
            select: { id: true },
          }))
        )
          throw conflict("name", `you already have a service template named "${plan.serviceTemplate.name}"`);
        const created = [];
        const parts: ImportPayload["images"] = [];
        for (const i of plan.images) {
          if (await tx.image.findFirst({ where: { ownerId: ctx.user.id, name: i.name }, select: { id: true } }))
            throw conflict("name", `you already have an image named "${i.name}"`);
          const img = await tx.image.create({
            data: {
              name: i.name,
              zoneId: ctx.zone.id,
              datastoreId: plan.ds.id,
              type: i.type,
              description: i.app.description,
              origin: "APP",
              fromAppId: i.app.id,
              sourceUrl: i.app.source,
              expectedMd5: i.app.md5,
              expectedSha256: i.app.sha256,
              state: "LOCKED",
              ownerId: ctx.user.id,
              groupId: ctx.user.primaryGroupId,
              ...rights,
            },
            include: imageInclude,
          });
          created.push(img);
          parts.push({ appId: i.app.id, imageId: img.id });
        }
        const root = plan.root;
        const job = await enqueueJob(tx, importAppJob, {
          zoneId: ctx.zone.id,
          payload: {
            appId: root.id,
            images: parts,
            vmTemplates: plan.vmTemplates.map((v) => ({ appId: v.app.id, name: v.name })),
            serviceTemplate: plan.serviceTemplate && { name: plan.serviceTemplate.name },
            owner,
          },
          title: `Import app ${root.name} from marketplace ${nameFor(subjectOf(ctx), root.marketplace)} into ${plan.ds.name}`,
          // the first image shows the progress of the whole import
          objectType: created.length ? "IMAGE" : "MARKETPLACE_APP",
          objectId: created.length ? created[0].id : root.id,
          createdById: ctx.user.id,
          bytesTotal: plan.totalBytes,
        });
        await recordAudit(
          { ...ctx, tx },
          {
            action: "app.import",
            objectType: "MARKETPLACE_APP",
            objectId: root.id,
            objectName: root.name,
            details: {
              datastoreId: plan.ds.id,
              name: input.name,
              images: created.map((c) => c.id),
              vmTemplates: plan.vmTemplates.map((v) => v.name),
              serviceTemplate: plan.serviceTemplate?.name ?? null,
            },
          },
        );
        return { created, jobId: job.id };
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    const jobs = await latestJobs(
      db(),
      created.map((c) => c.id),
    );
    return {
      ...toPlanDto(plan),
      jobId,
      created: created.map((img) => toImageDto(img, subjectOf(ctx), jobs.get(img.id) ?? null)),
    };
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict("name", `one of the names of this import was taken meanwhile; try again`);
    throw err;
  }
}
